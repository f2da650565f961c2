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
import java.util.concurrent.atomic.AtomicInteger;
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
  @DisplayName("SQS unreachable for 16 s (0.8 × a 20 s visibility timeout) while a 35 s task runs: the message never "
      + "shows to another consumer, no second LLM call, one result")
  void outageDuringALongTask() {
    stack = new Stack(VISIBILITY, 5, SimulatorOptions.defaults().withLatencyMs(35_000));
    TcpProxy proxy = SqsFixture.await(TcpProxy.start(stack.vertx, "127.0.0.1", stack.sqs.server.port()));
    stack.startNode(proxy.endpoint(), json -> json.put("sqs", json.getJsonObject("sqs")
            .put("visibilityTimeoutSeconds", VISIBILITY))
        .put("provider", json.getJsonObject("provider").put("requestTimeoutSeconds", 60)));
    stack.sqs.sqs().sendMessage(b -> b.queueUrl(stack.sqs.queues.tasks())
        .messageBody(TestTasks.chat("long", "think hard"))).join();
    Eventually.await(Duration.ofSeconds(20), () -> stack.sim.stats().inFlight() == 1, () -> "no call yet");
    // another consumer of the queue, as other nodes would be, straight to SQS: it must never see the message
    AtomicInteger seenElsewhere = new AtomicInteger();
    long watcher = stack.vertx.setPeriodic(300, id -> stack.sqs.sqs().receiveMessage(r -> r
            .queueUrl(stack.sqs.queues.tasks()).maxNumberOfMessages(10).waitTimeSeconds(0).visibilityTimeout(60))
        .thenAccept(reply -> seenElsewhere.addAndGet(reply.messages().size())));
    long callStarted = System.nanoTime();
    // past the receive's short window, so the task holds the full visibility timeout; before, an extension was due
    // every 10 s (at about 5 s and 15 s here) and one failing from 15 s on let the lease run out during the outage
    Eventually.await(Duration.ofSeconds(20), () -> secondsSince(callStarted) >= 14, () -> "clock");
    proxy.down();
    long outageStarted = System.nanoTime();
    Eventually.await(Duration.ofSeconds(20), () -> secondsSince(outageStarted) >= 16, () -> "clock");
    proxy.up();

    Eventually.await(Duration.ofSeconds(30), () -> stack.node.stats().succeeded.sum() == 1,
        () -> stack.node.stats().snapshot().encode());
    stack.vertx.cancelTimer(watcher);
    assertEquals(0, seenElsewhere.get(), "the message became visible to another consumer during the task");
    assertEquals(1, stack.sim.stats().countFor("long"), "LLM calls for the task");
    assertEquals(1, stack.node.stats().received.sum(), "the message was received again");
    assertTrue(proxy.refused() > 0, "the outage should have refused connections");
    stack.assertCountersAddUp();
  }

  private static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }
}
