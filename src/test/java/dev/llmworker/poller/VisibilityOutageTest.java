package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TcpProxy;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 15 item 7: heartbeats ride out an SQS outage of 0.8 × the visibility timeout during a long task. */
class VisibilityOutageTest {
  private static final int VISIBILITY = 20;
  private Stack stack;

  @AfterEach
  void stop() {
    stack.close();
  }

  @Test
  @DisplayName("SQS unreachable for 16 s (0.8 × a 20 s visibility timeout) while a 30 s task runs: no second LLM "
      + "call, one result")
  void outageDuringALongTask() {
    stack = new Stack(VISIBILITY, 5, SimulatorOptions.defaults().withLatencyMs(30_000));
    TcpProxy proxy = SqsFixture.await(TcpProxy.start(stack.vertx, "127.0.0.1", stack.sqs.server.port()));
    stack.startNode(proxy.endpoint(), json -> json.put("sqs", json.getJsonObject("sqs")
            .put("visibilityTimeoutSeconds", VISIBILITY))
        .put("provider", json.getJsonObject("provider").put("requestTimeoutSeconds", 60)));
    stack.sqs.sqs().sendMessage(b -> b.queueUrl(stack.sqs.queues.tasks())
        .messageBody(TestTasks.chat("long", "think hard"))).join();
    Eventually.await(Duration.ofSeconds(20), () -> stack.sim.stats().inFlight() == 1, () -> "no call yet");
    long callStarted = System.nanoTime();
    // past the receive's short window, so the task holds the full visibility timeout: the outage hits a long task
    Eventually.await(Duration.ofSeconds(10), () -> secondsSince(callStarted) >= 7, () -> "clock");
    proxy.down();
    long outageStarted = System.nanoTime();
    Eventually.await(Duration.ofSeconds(20), () -> secondsSince(outageStarted) >= 16, () -> "clock");
    proxy.up();

    Eventually.await(Duration.ofSeconds(40), () -> stack.node.stats().succeeded.sum() == 1,
        () -> stack.node.stats().snapshot().encode());
    assertEquals(1, stack.sim.stats().countFor("long"), "LLM calls for the task");
    assertEquals(1, stack.node.stats().received.sum(), "the message was received again");
    assertTrue(proxy.refused() > 0, "the outage should have refused connections");
    stack.assertCountersAddUp();
  }

  private static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }
}
