package dev.llmworker.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.app.Vertxes;
import dev.llmworker.bus.BusCodecs;
import dev.llmworker.bus.CapacityAnnouncement;
import dev.llmworker.bus.TaskCancel;
import dev.llmworker.monitor.NodeStats;
import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.TestConfig;
import dev.llmworker.support.TestTasks;
import dev.llmworker.task.Addresses;
import dev.llmworker.task.TaskEnvelope;
import dev.llmworker.task.TaskOutcome;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 15 item 4: a task its poller gave back is cancelled at its worker, and makes no further call. */
class WorkerCancelTest {
  private final Vertx vertx = Vertxes.create(Vertxes.registry());
  private LlmSimulator sim;

  @AfterEach
  void stop() {
    SqsFixture.await(sim.close());
    SqsFixture.await(vertx.close());
  }

  @Test
  @DisplayName("a cancel stops a task that keeps retrying: it answers 'cancelled' and calls no more")
  void cancelStopsRetries() {
    sim = SqsFixture.await(LlmSimulator.start(vertx, SimulatorOptions.defaults().withLatencyMs(5).withPort(0)));
    LlmwConfig config = TestConfig.with(TestConfig.base("http://127.0.0.1:1", sim.baseUrl())
        .put("retry", new JsonObject().put("inProcessMaxAttempts", 100).put("baseDelayMs", 100).put("maxDelayMs", 100)));
    NodeStats stats = new NodeStats("n1", List.of("worker"));
    AtomicReference<String> workerId = new AtomicReference<>();
    BusCodecs.ensure(vertx);
    vertx.eventBus().<CapacityAnnouncement>consumer(Addresses.CAPACITY, m -> workerId.set(m.body().worker()));
    SqsFixture.await(vertx.deployVerticle(new WorkerVerticle(config, stats, NodeLlm.create(config, stats))));
    Eventually.await(Duration.ofSeconds(5), () -> workerId.get() != null, () -> "no announcement");

    TaskEnvelope task = new TaskEnvelope("m-1", TestTasks.chat("doomed", "[[sim:status=503]] no"), 1);
    var answer = vertx.eventBus().<TaskOutcome>request(Addresses.tasksFor(workerId.get()), task);
    Eventually.await(Duration.ofSeconds(10), () -> sim.stats().countFor("doomed") >= 3, () -> "calls: "
        + sim.stats().countFor("doomed"));
    int atCancel = sim.stats().countFor("doomed");
    vertx.eventBus().send(Addresses.cancelFor(workerId.get()), new TaskCancel("m-1"));

    TaskOutcome outcome = SqsFixture.await(answer).body();
    assertEquals(TaskOutcome.Kind.RELEASED, outcome.kind());
    assertEquals("cancelled", outcome.code());
    int after = sim.stats().countFor("doomed");
    assertTrue(after <= atCancel + 1, "calls after the cancel: " + (after - atCancel));
  }
}
