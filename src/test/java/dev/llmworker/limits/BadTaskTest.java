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

  @Test
  @DisplayName("a custom_id with a control character and a model named \"..\" are dead-lettered at their first "
      + "receive with a readable reason, after no LLM call and no retry; the task beside them is served")
  void unsendableIdAndModel() throws Exception {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json);
    String badId = new JsonObject(TestTasks.chat("x", "hello")).put("custom_id", "two\nlines").encode();
    JsonObject dotModel = new JsonObject(TestTasks.chat("dots", "hello"));
    dotModel.getJsonObject("body").put("model", "..");
    stack.sqs.enqueue(1, i -> badId);
    stack.sqs.enqueue(1, i -> dotModel.encode());
    stack.sqs.enqueue(1, i -> TestTasks.chat("fine", "a short one"));

    assertEquals(200, stack.awaitResult("fine").getJsonObject("response").getInteger("status_code"));
    stack.awaitDeadLettered(2);
    java.util.Map<String, Message> dead = new java.util.HashMap<>();
    stack.sqs.drain(stack.sqs.queues.dlq()).forEach(m -> dead.put(
        m.messageAttributes().get("llmw-error-code").stringValue(), m));
    Message id = dead.get("bad_custom_id");
    assertEquals(badId, id.body(), "the DLQ keeps the body unchanged");
    assertEquals("\"custom_id\" contains the control character U+000A at position 4; ids must be printable text",
        id.messageAttributes().get("llmw-error-reason").stringValue());
    assertEquals("1", id.messageAttributes().get("llmw-receive-count").stringValue());
    Message model = dead.get("bad_model");
    assertTrue(model.messageAttributes().get("llmw-error-reason").stringValue().contains("\"..\""),
        model.messageAttributes().get("llmw-error-reason").stringValue());
    assertEquals("1", model.messageAttributes().get("llmw-receive-count").stringValue());
    assertEquals(1, stack.sim.stats().requests(), "LLM calls: only the good task's");
    assertEquals(0, stack.node.stats().returned.sum(), "nothing was returned to be tried again");
    assertEquals(0, stack.node.stats().retried.sum(), "nothing was retried in process");
    stack.assertCountersAddUp();
  }
}
