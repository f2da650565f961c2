package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsProxy;
import dev.llmworker.support.Stack;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

/** Issue 15 item 3: a result or dead letter SQS refuses is never a hot loop of paid calls. */
class UnstorableResultTest {
  @TempDir
  Path dir;
  private Stack stack;
  private SqsProxy smallQueue;

  @AfterEach
  void stop() {
    stack.close();
    if (smallQueue != null) {
      smallQueue.close();
    }
  }

  /** A task line written by hand: its prompt carries JSON escapes of characters SQS refuses as raw text. */
  private static String taskWithEscapes(String customId, String escapedPrompt) {
    return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":"
        + "{\"model\":\"sim-1\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"" + escapedPrompt
        + "\"}]}}";
  }

  @Test
  @DisplayName("an answer with U+FFFF and a lone surrogate (legal JSON escapes in the task) is stored escaped, "
      + "after one LLM call")
  void oddCharactersAreStored() throws Exception {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json);
    stack.sqs.enqueue(1, i -> taskWithEscapes("odd", "a \\uffff b \\ud800 c"));
    String content = stack.awaitResult("odd").getJsonObject("response").getJsonObject("body")
        .getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
    assertTrue(content.contains("a \uffff b \ud800 c"), content);
    assertEquals(1, stack.sim.stats().countFor("odd"), "LLM calls");
    stack.assertCountersAddUp();
  }

  @Test
  @DisplayName("a results queue that refuses every line: the answer is kept on disk, the task is dead-lettered as "
      + "result_unstorable, and the LLM was called once")
  void resultsQueueGone() throws Exception {
    Path kept = dir.resolve("oversize.jsonl");
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json.put("results", new JsonObject().put("oversizeFile", kept.toString())));
    stack.sqs.sqs().deleteQueue(b -> b.queueUrl(stack.sqs.queues.results())).join();
    stack.sqs.enqueue(1, i -> dev.llmworker.support.TestTasks.chat("lost-answer", "keep me"));
    stack.awaitDeadLettered(1);
    List<Message> dead = stack.sqs.drain(stack.sqs.queues.dlq());
    assertEquals("result_unstorable", dead.get(0).messageAttributes().get("llmw-error-code").stringValue());
    assertEquals(1, stack.sim.stats().countFor("lost-answer"), "LLM calls");
    String line = Files.readString(kept, StandardCharsets.UTF_8);
    assertTrue(line.contains("\"custom_id\":\"lost-answer\"") && line.contains("Simulated answer"), line);
    Eventually.await(Duration.ofSeconds(10), () -> stack.sqs.depth(stack.sqs.queues.tasks()) == 0,
        () -> "the task is still in its queue");
    assertEquals(1, stack.sim.stats().countFor("lost-answer"), "LLM calls");
    // the ledger counts it once the delete is acknowledged, a moment after SQS shows the queue empty
    Eventually.await(Duration.ofSeconds(10), () -> stack.node.stats().deadLettered.sum() == 1,
        () -> stack.node.stats().snapshot().encode());
    stack.assertCountersAddUp();
  }

  @Test
  @DisplayName("a results queue with a smaller MaximumMessageSize (8 KiB): a 20,000-character answer arrives trimmed "
      + "to fit it, whole on disk, after one LLM call")
  void smallerResultsQueue() throws Exception {
    Path kept = dir.resolve("oversize.jsonl");
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));
    // ElasticMQ keeps no MaximumMessageSize: a proxy reports it as SQS would
    smallQueue = SqsProxy.withMaximumMessageSize(stack.sqs.server.endpoint(), stack.sqs.queues.results(), 8192);
    stack.startNode(smallQueue.endpoint(), json -> json.put("results", new JsonObject()
        .put("oversizeFile", kept.toString())));
    stack.sqs.enqueue(1, i -> dev.llmworker.support.TestTasks.chat("long", "[[sim:answer_chars=20000]] go on"));
    JsonObject line = stack.awaitResult("long");
    assertTrue(line.encode().getBytes(StandardCharsets.UTF_8).length <= 8192, "over the queue's limit");
    assertEquals(Boolean.TRUE, line.getJsonObject("llmw").getBoolean("truncated"));
    assertTrue(Files.readString(kept, StandardCharsets.UTF_8).contains("\"custom_id\":\"long\""));
    assertEquals(1, stack.sim.stats().countFor("long"), "LLM calls");
  }

  @Test
  @DisplayName("a bad task just under the size limit is dead-lettered on its first receive with its reason, its "
      + "body whole")
  void deadLetterNearTheSizeLimit() throws Exception {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json);
    String body = "{not json " + "x".repeat(262_144 - 200);
    stack.sqs.enqueue(1, i -> body);
    stack.awaitDeadLettered(1);
    Message dead = stack.sqs.drain(stack.sqs.queues.dlq()).get(0);
    assertEquals(body, dead.body());
    assertTrue(dead.messageAttributes().containsKey("llmw-error-code"), "no reason: " + dead.messageAttributes());
    assertEquals("1", dead.messageAttributes().get("llmw-receive-count").stringValue());
    stack.assertCountersAddUp();
  }
}
