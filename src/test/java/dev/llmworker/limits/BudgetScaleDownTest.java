package dev.llmworker.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import dev.llmworker.task.Addresses;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 2: a waiting budget queue's pump timer lived on the worker instance that last called; undeploying
 * that instance killed the timer and the queue waited for ever.
 */
class BudgetScaleDownTest {
  private Stack stack;

  @AfterEach
  void tearDown() {
    stack.close();
  }

  @Test
  @DisplayName("scaling 4 worker instances down to 1 while tasks wait under an rpm limit: all of them complete")
  void scaleDownWhileWaiting() throws Exception {
    stack = new Stack(60, 5, SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json.put("worker", new JsonObject().put("instances", 4).put("concurrency", 10))
        .put("provider", json.getJsonObject("provider").put("rpm", 240)));
    stack.sqs.enqueue(40, i -> TestTasks.chat("t-" + i, "wait for your turn"));
    Eventually.await(Duration.ofSeconds(20), () -> stack.node.stats().succeeded.sum() >= 3,
        () -> stack.node.stats().snapshot().encode());
    JsonObject reply = SqsFixture.await(stack.vertx.eventBus().<JsonObject>request(
        Addresses.controlWorkers(stack.node.stats().nodeId()), new JsonObject().put("instances", 1))).body();
    assertEquals(1, reply.getInteger("instances"), reply.encode());
    // 240 rpm paces 4 a second: the 40 need about 10 s
    Eventually.await(Duration.ofSeconds(45), () -> stack.node.stats().succeeded.sum() == 40,
        () -> stack.node.stats().snapshot().encode());
    stack.assertCountersAddUp();
  }
}
