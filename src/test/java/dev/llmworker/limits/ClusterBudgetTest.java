package dev.llmworker.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.Node;
import dev.llmworker.app.Ports;
import dev.llmworker.app.Role;
import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.ClusteredVertx;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.TestConfig;
import dev.llmworker.support.TestTasks;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Two nodes in one Vert.x cluster (Hazelcast, in this JVM) share one provider budget instead of each using it. */
class ClusterBudgetTest {
  private final List<Node> nodes = new ArrayList<>();
  private final List<Vertx> vertxes = new ArrayList<>();
  private SqsFixture sqs;
  private LlmSimulator sim;

  @AfterEach
  void tearDown() {
    nodes.forEach(n -> SqsFixture.await(n.stop()));
    if (sim != null) {
      SqsFixture.await(sim.close());
    }
    vertxes.forEach(v -> SqsFixture.await(v.close()));
    if (sqs != null) {
      sqs.close();
    }
  }

  @Test
  @DisplayName("two clustered nodes with a 600 rpm budget process together at 600 rpm (within 5%), not 1200, "
      + "and both do a fair part of the work")
  void twoNodesShareOneBudget() throws Exception {
    sqs = SqsFixture.start(60, 5);
    Vertx simVertx = Vertx.vertx();
    vertxes.add(simVertx);
    sim = SqsFixture.await(LlmSimulator.start(simVertx, SimulatorOptions.defaults().withLatencyMs(50).withPort(0)));
    String cluster = ClusteredVertx.newClusterName();
    List<Integer> ports = Ports.free(2);
    for (int port : ports) {
      Vertx vertx = ClusteredVertx.start(cluster, port, ports);
      vertxes.add(vertx);
      JsonObject json = TestConfig.base(sqs.server.endpoint(), sim.baseUrl());
      json.getJsonObject("provider").put("rpm", 600);
      json.put("worker", new JsonObject().put("instances", 1).put("concurrency", 20));
      nodes.add(SqsFixture.await(Node.start(vertx, TestConfig.with(json), EnumSet.allOf(Role.class))));
    }
    RateLimitTest.RateProbe probe = new RateLimitTest.RateProbe(simVertx, () -> sim.stats().okCount());
    sqs.enqueue(360, i -> TestTasks.chat("c-" + i, "Shared budget " + i));
    Eventually.await(Duration.ofSeconds(90), () -> settled() == 360, () -> nodes.get(0).stats().snapshot().encode());

    double perMinute = probe.perSecond(40, 340) * 60;
    assertTrue(perMinute >= 570 && perMinute <= 630, "combined rate " + perMinute + "/min against a budget of 600");
    long first = nodes.get(0).stats().llm.snapshot().getJsonObject(0).getLong("succeeded");
    long second = nodes.get(1).stats().llm.snapshot().getJsonObject(0).getLong("succeeded");
    assertEquals(360, first + second);
    assertTrue(Math.min(first, second) >= 0.25 * 360, "work split " + first + " / " + second);
    assertEquals(0, sim.stats().statusCount(429));
  }

  private long settled() {
    return nodes.stream().mapToLong(n -> n.stats().succeeded.sum() + n.stats().deadLettered.sum()).sum();
  }
}
