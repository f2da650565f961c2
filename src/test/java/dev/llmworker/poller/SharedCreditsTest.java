package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.Node;
import dev.llmworker.app.Role;
import dev.llmworker.support.ClusterStack;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.EnumSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Two pollers in one cluster split the worker slots between them instead of each counting all of them. */
class SharedCreditsTest {
  private ClusterStack cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @DisplayName("two pollers share 15 worker slots exactly (their shares add up to 15, neither ever has more at "
      + "workers than its share); when one leaves, the other takes all 15")
  void pollersSplitTheSlots() throws Exception {
    cluster = new ClusterStack(2, 100);
    Node both = cluster.startNode(0, EnumSet.allOf(Role.class), workers(3));
    Node pollerOnly = cluster.startNode(1, EnumSet.of(Role.POLLER), workers(0));
    Eventually.await(Duration.ofSeconds(15),
        () -> both.stats().capacity.get() + pollerOnly.stats().capacity.get() == 15
            && both.stats().capacity.get() < 15 && pollerOnly.stats().capacity.get() > 0,
        () -> both.stats().capacity + " + " + pollerOnly.stats().capacity);
    int shareOfFirst = both.stats().capacity.get();
    int shareOfSecond = pollerOnly.stats().capacity.get();
    assertTrue(shareOfFirst >= 6 && shareOfFirst <= 9, "3 workers of 5 slots give each of 2 pollers 2 or 3 of each: "
        + shareOfFirst);

    cluster.sqs.enqueue(600, i -> TestTasks.chat("s-" + i, "Shared credits " + i));
    Eventually.await(Duration.ofSeconds(60), () -> cluster.settled() == 600,
        () -> both.stats().snapshot().encode() + "\n" + pollerOnly.stats().snapshot().encode());

    assertEquals(600, both.stats().succeeded.sum() + pollerOnly.stats().succeeded.sum());
    assertTrue(pollerOnly.stats().succeeded.sum() > 0 && both.stats().succeeded.sum() > 0, "both pollers worked");
    assertTrue(both.stats().peakDispatched.get() <= shareOfFirst, "first poller above its share: "
        + both.stats().peakDispatched + " > " + shareOfFirst);
    assertTrue(pollerOnly.stats().peakDispatched.get() <= shareOfSecond, "second poller above its share: "
        + pollerOnly.stats().peakDispatched + " > " + shareOfSecond);
    assertTrue(cluster.sim.stats().maxConcurrent() <= 15, "peak concurrent calls "
        + cluster.sim.stats().maxConcurrent());

    SqsFixture.await(cluster.nodes.remove(1).stop());
    Eventually.await(Duration.ofSeconds(5), () -> both.stats().capacity.get() == 15,
        () -> "capacity after the other poller left: " + both.stats().capacity);
  }

  /** Worker instances of 5 slots each. */
  private static Consumer<JsonObject> workers(int instances) {
    return json -> json.put("worker", new JsonObject().put("instances", instances).put("concurrency", 5));
  }
}
