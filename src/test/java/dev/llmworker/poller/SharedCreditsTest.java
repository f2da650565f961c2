package dev.llmworker.poller;

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
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Two pollers in one cluster split the worker slots between them instead of each counting all of them. */
class SharedCreditsTest {
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

  private Node start(Vertx vertx, int instances, Set<Role> roles) {
    JsonObject json = TestConfig.base(sqs.server.endpoint(), sim.baseUrl());
    json.put("worker", new JsonObject().put("instances", instances).put("concurrency", 5));
    Node node = SqsFixture.await(Node.start(vertx, TestConfig.with(json), roles));
    nodes.add(node);
    return node;
  }

  @Test
  @DisplayName("two pollers share 15 worker slots exactly (their shares add up to 15, neither ever has more at "
      + "workers than its share); when one leaves, the other takes all 15")
  void pollersSplitTheSlots() throws Exception {
    sqs = SqsFixture.start(60, 5);
    Vertx simVertx = Vertx.vertx();
    vertxes.add(simVertx);
    sim = SqsFixture.await(LlmSimulator.start(simVertx, SimulatorOptions.defaults().withLatencyMs(100).withPort(0)));
    String cluster = ClusteredVertx.newClusterName();
    List<Integer> ports = Ports.free(2);
    Vertx first = ClusteredVertx.start(cluster, ports.get(0), ports);
    Vertx second = ClusteredVertx.start(cluster, ports.get(1), ports);
    vertxes.add(first);
    vertxes.add(second);
    Node both = start(first, 3, EnumSet.allOf(Role.class));
    Node pollerOnly = start(second, 0, EnumSet.of(Role.POLLER));
    Eventually.await(Duration.ofSeconds(15),
        () -> both.stats().capacity.get() + pollerOnly.stats().capacity.get() == 15
            && both.stats().capacity.get() < 15 && pollerOnly.stats().capacity.get() > 0,
        () -> both.stats().capacity + " + " + pollerOnly.stats().capacity);
    int shareOfFirst = both.stats().capacity.get();
    int shareOfSecond = pollerOnly.stats().capacity.get();
    assertTrue(shareOfFirst >= 6 && shareOfFirst <= 9, "3 workers of 5 slots give each of 2 pollers 2 or 3 of each: "
        + shareOfFirst);

    sqs.enqueue(600, i -> TestTasks.chat("s-" + i, "Shared credits " + i));
    Eventually.await(Duration.ofSeconds(60), () -> settled() == 600,
        () -> both.stats().snapshot().encode() + "\n" + pollerOnly.stats().snapshot().encode());

    assertEquals(600, both.stats().succeeded.sum() + pollerOnly.stats().succeeded.sum());
    assertTrue(pollerOnly.stats().succeeded.sum() > 0 && both.stats().succeeded.sum() > 0, "both pollers worked");
    assertTrue(both.stats().peakDispatched.get() <= shareOfFirst, "first poller above its share: "
        + both.stats().peakDispatched + " > " + shareOfFirst);
    assertTrue(pollerOnly.stats().peakDispatched.get() <= shareOfSecond, "second poller above its share: "
        + pollerOnly.stats().peakDispatched + " > " + shareOfSecond);
    assertTrue(sim.stats().maxConcurrent() <= 15, "peak concurrent calls " + sim.stats().maxConcurrent());

    SqsFixture.await(nodes.remove(1).stop());
    Eventually.await(Duration.ofSeconds(5), () -> both.stats().capacity.get() == 15,
        () -> "capacity after the other poller left: " + both.stats().capacity);
  }

  private long settled() {
    return nodes.stream().mapToLong(n -> n.stats().succeeded.sum() + n.stats().deadLettered.sum()).sum();
  }
}
