package dev.llmworker.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** Issue 16: one strange task must not stall or bill everyone. */
class BadTaskTest {
  private Stack stack;

  @AfterEach
  void tearDown() {
    stack.close();
  }

  @Test
  @DisplayName("a task with max_tokens 10^12 under a tpm budget is refused as request_too_large before any call; the "
      + "300 tasks around it complete")
  void hugeMaxTokens() throws Exception {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json.put("provider", json.getJsonObject("provider").put("tpm", 60_000)));
    JsonObject huge = new JsonObject(TestTasks.chat("huge", "write forever"));
    huge.getJsonObject("body").put("max_tokens", 1_000_000_000_000L);
    stack.sqs.enqueue(1, i -> huge.encode());
    stack.sqs.enqueue(300, i -> TestTasks.chat("t-" + i, "a short one"));

    Eventually.await(Duration.ofSeconds(60), () -> stack.settled() == 301,
        () -> stack.node.stats().snapshot().encode());
    assertEquals(300, stack.node.stats().succeeded.sum());
    List<Message> dead = stack.sqs.drain(stack.sqs.queues.dlq());
    assertEquals("request_too_large", dead.get(0).messageAttributes().get("llmw-error-code").stringValue());
    String reason = dead.get(0).messageAttributes().get("llmw-error-reason").stringValue();
    assertTrue(reason.contains("60000 tokens per minute") && reason.contains("lower max_tokens"), reason);
    assertEquals(0, stack.sim.stats().countFor("huge"), "the provider was called");
    stack.assertCountersAddUp();
  }

  @Test
  @DisplayName("prompt + max_tokens above the model's configured context window is refused as request_too_large "
      + "before any call; a task that fits is served")
  void overTheContextWindow() throws Exception {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json.put("provider", json.getJsonObject("provider")
        .put("contextTokens", new JsonObject().put("sim-1", 1000))));
    JsonObject tooLong = new JsonObject(TestTasks.chat("too-long", "write a book"));
    tooLong.getJsonObject("body").put("max_tokens", 5000);
    stack.sqs.enqueue(1, i -> tooLong.encode());
    stack.sqs.enqueue(1, i -> TestTasks.chat("fits", "a short one"));
    stack.awaitDeadLettered(1);
    Message dead = stack.sqs.drain(stack.sqs.queues.dlq()).get(0);
    assertEquals("request_too_large", dead.messageAttributes().get("llmw-error-code").stringValue());
    String reason = dead.messageAttributes().get("llmw-error-reason").stringValue();
    assertTrue(reason.contains("context window of 1000 tokens"), reason);
    assertEquals(0, stack.sim.stats().countFor("too-long"), "the provider was called");
    assertEquals(200, stack.awaitResult("fits").getJsonObject("response").getInteger("status_code"));
  }

  @Test
  @DisplayName("an answer over provider.maxResponseBytes is a permanent error that gives its size, after one call; "
      + "nothing of it is kept")
  void answerTooLarge() throws Exception {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json.put("provider", json.getJsonObject("provider").put("maxResponseBytes", 100_000)));
    stack.sqs.enqueue(1, i -> TestTasks.chat("essay", "[[sim:answer_chars=400000]] go on and on"));
    stack.sqs.enqueue(1, i -> TestTasks.chat("short", "a short one"));
    stack.awaitDeadLettered(1);
    Message dead = stack.sqs.drain(stack.sqs.queues.dlq()).get(0);
    assertEquals("response_too_large", dead.messageAttributes().get("llmw-error-code").stringValue());
    String reason = dead.messageAttributes().get("llmw-error-reason").stringValue();
    assertTrue(reason.contains("provider.maxResponseBytes (100000 bytes)"), reason);
    assertEquals(1, stack.sim.stats().countFor("essay"), "LLM calls");
    assertEquals(200, stack.awaitResult("short").getJsonObject("response").getInteger("status_code"));
  }

  @Test
  @DisplayName("\"stream\": true is refused before any call with a readable reason (one permanent error, not 20 "
      + "billed retries)")
  void streamRefused() throws Exception {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json);
    JsonObject streaming = new JsonObject(TestTasks.chat("streamer", "hello"));
    streaming.getJsonObject("body").put("stream", true);
    stack.sqs.enqueue(1, i -> streaming.encode());
    stack.awaitDeadLettered(1);
    Message dead = stack.sqs.drain(stack.sqs.queues.dlq()).get(0);
    assertEquals("unsupported_option", dead.messageAttributes().get("llmw-error-code").stringValue());
    assertTrue(dead.messageAttributes().get("llmw-error-reason").stringValue().contains("\"body.stream\": true"));
    assertEquals(0, stack.sim.stats().countFor("streamer"), "the provider was called");
  }
}
