package dev.llmworker.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.Node;
import dev.llmworker.app.Role;
import dev.llmworker.support.ClusterStack;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Two nodes in one Vert.x cluster (Hazelcast, in this JVM) share one provider budget instead of each using it. */
class ClusterBudgetTest {
  private ClusterStack cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @DisplayName("two clustered nodes with a 600 rpm budget process together at 600 rpm (within 5%), not 1200, "
      + "and both do a fair part of the work")
  void twoNodesShareOneBudget() throws Exception {
    cluster = new ClusterStack(2, 50);
    for (int member = 0; member < 2; member++) {
      cluster.startNode(member, EnumSet.allOf(Role.class), json -> {
        json.getJsonObject("provider").put("rpm", 600);
        json.put("worker", new JsonObject().put("instances", 1).put("concurrency", 20));
      });
    }
    List<Node> nodes = cluster.nodes;
    RateLimitTest.RateProbe probe = new RateLimitTest.RateProbe(cluster.simVertx(),
        () -> cluster.sim.stats().okCount());
    cluster.sqs.enqueue(360, i -> TestTasks.chat("c-" + i, "Shared budget " + i));
    Eventually.await(Duration.ofSeconds(90), () -> cluster.settled() == 360,
        () -> nodes.get(0).stats().snapshot().encode());

    double perMinute = probe.perSecond(40, 340) * 60;
    assertTrue(perMinute >= 570 && perMinute <= 630, "combined rate " + perMinute + "/min against a budget of 600");
    long first = nodes.get(0).stats().llm.snapshot().getJsonObject(0).getLong("succeeded");
    long second = nodes.get(1).stats().llm.snapshot().getJsonObject(0).getLong("succeeded");
    assertEquals(360, first + second);
    assertTrue(Math.min(first, second) >= 0.25 * 360, "work split " + first + " / " + second);
    assertEquals(0, cluster.sim.stats().statusCount(429));
  }
}
