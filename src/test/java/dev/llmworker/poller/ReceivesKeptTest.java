package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 6: no task reaches the DLQ without a reason; throttling and a shutdown never use up a task's
 * receives (maxReceiveCount 1 here: one receive used up would move the task to the DLQ).
 */
class ReceivesKeptTest {
  private Stack stack;

  @AfterEach
  void stop() {
    stack.close();
  }

  @Test
  @DisplayName("a task throttled again and again never reaches the DLQ without a reason")
  void throttledTaskKeepsItsReceives() throws Exception {
    stack = new Stack(30, 1, SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json.put("retry", new JsonObject().put("rateLimitedMaxAttempts", 2)
        .put("baseDelayMs", 20).put("maxDelayMs", 50).put("returnBaseSeconds", 0).put("returnMaxSeconds", 1)));
    stack.sqs.enqueue(1, i -> TestTasks.chat("busy", "[[sim:status=429]] always busy"));
    Eventually.await(Duration.ofSeconds(30), () -> stack.sim.stats().countFor("busy") >= 8,
        () -> "calls so far: " + stack.sim.stats().countFor("busy") + ", DLQ " + stack.sqs.depth(stack.sqs.queues.dlq()));
    assertEquals(0, stack.sqs.depth(stack.sqs.queues.dlq()), "dead-lettered without a reason");
    assertTrue(stack.node.stats().snapshot().getLong("requeued") >= 3, stack.node.stats().snapshot().encode());
    stack.assertCountersAddUp();
  }

  @Test
  @DisplayName("tasks a shutdown cuts short come back with their receives intact, and all succeed on the next node")
  void shutdownKeepsReceives() throws Exception {
    stack = new Stack(30, 1, SimulatorOptions.defaults().withLatencyMs(4000));
    stack.startNode(json -> json.put("shutdown", new JsonObject().put("graceSeconds", 1)));
    stack.sqs.enqueue(3, i -> TestTasks.chat("cut-" + i, "slow"));
    Eventually.await(Duration.ofSeconds(20), () -> stack.sim.stats().inFlight() == 3,
        () -> "running: " + stack.sim.stats().inFlight());
    dev.llmworker.support.SqsFixture.await(stack.node.stop());
    stack.node = null;
    stack.startNode(json -> json);
    Eventually.await(Duration.ofSeconds(30), () -> stack.settled() == 3,
        () -> "settled " + stack.settled() + ", DLQ " + stack.sqs.depth(stack.sqs.queues.dlq()));
    assertEquals(3, stack.node.stats().succeeded.sum());
    assertEquals(0, stack.sqs.depth(stack.sqs.queues.dlq()));
    stack.assertCountersAddUp();
  }
}
