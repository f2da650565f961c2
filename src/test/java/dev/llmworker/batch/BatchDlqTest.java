package dev.llmworker.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.client.Cli;
import dev.llmworker.sim.FaultRates;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Http;
import dev.llmworker.support.OpenAiApi;
import dev.llmworker.support.SqsProxy;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Batch lines and the dead-letter queue, on a real node (ElasticMQ through the SDK, the simulator, the embedded
 * store): a line SQS moved to the DLQ by itself rejoins its batch when redriven, by SQS's move task or by hand; a
 * line llm-worker dead-lettered is in the batch's error file, and a redrive runs it as a plain task.
 */
class BatchDlqTest {
  private static final String API_TOKEN = "batch-dlq-test-api-token";
  private static final String MONITOR_TOKEN = "batch-dlq-test-monitor-token";
  private static final int LINES = 5;
  @TempDir
  Path dir;
  private Stack stack;
  private String monitor;
  private OpenAiApi api;

  @AfterEach
  void tearDown() {
    stack.close();
  }

  private void start(int maxReceiveCount) {
    stack = new Stack(30, maxReceiveCount, SimulatorOptions.defaults().withLatencyMs(5));
    monitor = stack.startNode(json -> json.put("api", new JsonObject().put("tokens", new JsonArray().add(API_TOKEN)))
        .put("monitor", json.getJsonObject("monitor").put("token", MONITOR_TOKEN))
        .put("retry", new JsonObject().put("inProcessMaxAttempts", 1))
        .put("store", new JsonObject().put("embedded", new JsonObject().put("dir", dir.resolve("store").toString()))))
        .monitorUrl();
    api = new OpenAiApi(monitor + "v1/", API_TOKEN);
  }

  private static String lines() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < LINES; i++) {
      out.append(TestTasks.chat("d-" + i, "hello " + i)).append('\n');
    }
    return out.toString();
  }

  private void control(String path) {
    OpenAiApi control = new OpenAiApi(monitor, MONITOR_TOKEN);
    assertEquals(200, control.post(path, new JsonObject()).statusCode(), path);
  }

  private long visibleTasks() {
    return Long.parseLong(stack.sqs.sqs().getQueueAttributes(b -> b.queueUrl(stack.sqs.queues.tasks())
        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).join().attributes()
        .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }

  /** What SQS's redrive policy does after a node died holding the message on its last receive. */
  private String moveOneTaskToTheDlqAsSqsWould() {
    List<Message> got = stack.sqs.sqs().receiveMessage(b -> b.queueUrl(stack.sqs.queues.tasks())
        .maxNumberOfMessages(1).messageAttributeNames("All")).join().messages();
    assertEquals(1, got.size(), "no task to move");
    Message m = got.get(0);
    assertTrue(m.messageAttributes().containsKey("llmw-batch"), "a batch line without its tag: " + m);
    stack.sqs.sqs().sendMessage(b -> b.queueUrl(stack.sqs.queues.dlq()).messageBody(m.body())
        .messageAttributes(m.messageAttributes())).join();
    stack.sqs.sqs().deleteMessage(b -> b.queueUrl(stack.sqs.queues.tasks()).receiptHandle(m.receiptHandle())).join();
    return new JsonObject(m.body()).getString("custom_id");
  }

  private static Set<String> ids(String jsonl) {
    Set<String> ids = new HashSet<>();
    for (String line : jsonl.split("\n")) {
      if (!line.isBlank()) {
        assertTrue(ids.add(new JsonObject(line).getString("custom_id")), "custom_id twice: " + line);
      }
    }
    return ids;
  }

  @ParameterizedTest(name = "SQS move task: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("a line SQS moved to the DLQ by itself leaves its batch in progress; dlq redrive --all (by SQS's "
      + "move task, or by hand where there is none) brings it back into its batch, which completes with every line "
      + "once and nothing in the results queue")
  void silentlyMovedLineRejoinsItsBatch(boolean moveTask) {
    start(3);
    control("api/pause");
    Eventually.await(Duration.ofSeconds(10), () -> Http.jsonOrNull(monitor + "api/stats", MONITOR_TOKEN)
        .getBoolean("paused", false), () -> "not paused");
    String id = api.createBatch(lines(), "/v1/chat/completions", null).getString("id");
    Eventually.await(Duration.ofSeconds(30), () -> visibleTasks() == LINES, () -> "tasks visible: " + visibleTasks());
    String moved = moveOneTaskToTheDlqAsSqsWould();
    control("api/resume");

    JsonObject[] last = {null};
    Eventually.await(Duration.ofSeconds(30), () -> (last[0] = api.batch(id)).getJsonObject("request_counts")
        .getLong("completed") == LINES - 1, () -> "batch " + last[0]);
    assertEquals("in_progress", api.batch(id).getString("status"), "a batch with a line in the DLQ ended");

    Cli.Run peek = new Cli(dir, stack.sqs.server.endpoint()).run("dlq", "peek");
    assertTrue(peek.out().contains("  batch      " + id + " (a redrive returns it to it)"), peek.all());
    Cli.Run run;
    if (moveTask) {
      run = new Cli(dir, stack.sqs.server.endpoint()).run("dlq", "redrive", "--all");
    } else {
      try (SqsProxy older = SqsProxy.withoutMoveTasks(stack.sqs.server.endpoint())) {
        run = new Cli(dir, older.endpoint()).run("dlq", "redrive", "--all");
      }
    }
    assertEquals(0, run.exit(), run.all());
    assertTrue(run.out().contains("moved 1 message(s)"), run.all());

    JsonObject done = api.awaitStatus(id, Duration.ofSeconds(30), "completed", "failed", "expired", "cancelled");
    assertEquals(new JsonObject().put("total", LINES).put("completed", LINES).put("failed", 0),
        done.getJsonObject("request_counts"), done.encode());
    Set<String> output = ids(api.content(done.getString("output_file_id")));
    assertTrue(output.contains(moved), moved + " not in the output: " + output);
    assertEquals(LINES, output.size(), output.toString());
    assertEquals(0, stack.sqs.depth(stack.sqs.queues.results()), "a batch line went to the results queue");
    assertEquals(0, stack.sqs.depth(stack.sqs.queues.dlq()), "left in the DLQ");
  }

  @Test
  @DisplayName("lines llm-worker dead-lettered are the batch's error lines; redriven, they run as plain tasks with "
      + "their results in the results queue, and the ended batch does not change")
  void deadLetteredLinesRedriveAsPlainTasks() {
    start(1);
    stack.sim.setFaults(new FaultRates(0, 1.0, 0, 0));
    String id = api.createBatch(lines(), "/v1/chat/completions", null).getString("id");
    JsonObject done = api.awaitStatus(id, Duration.ofSeconds(60), "completed", "failed", "expired", "cancelled");
    JsonObject counts = new JsonObject().put("total", LINES).put("completed", 0).put("failed", LINES);
    assertEquals(counts, done.getJsonObject("request_counts"), done.encode());
    assertNull(done.getString("output_file_id"), done.encode());
    assertEquals(LINES, ids(api.content(done.getString("error_file_id"))).size());
    Eventually.await(Duration.ofSeconds(10), () -> stack.sqs.depth(stack.sqs.queues.dlq()) == LINES,
        () -> "DLQ depth " + stack.sqs.depth(stack.sqs.queues.dlq()));

    stack.sim.setFaults(FaultRates.NONE);
    Cli.Run run = new Cli(dir, stack.sqs.server.endpoint()).run("dlq", "redrive", "--all");
    assertEquals(0, run.exit(), run.all());
    Map<String, JsonObject> results = new HashMap<>();
    Eventually.await(Duration.ofSeconds(30), () -> {
      stack.results().forEach((customId, got) -> results.put(customId, got.get(got.size() - 1)));
      return results.size() == LINES;
    }, () -> "results: " + results.keySet());
    for (int i = 0; i < LINES; i++) {
      JsonObject line = results.get("d-" + i);
      assertEquals(200, line.getJsonObject("response").getInteger("status_code"), line.encode());
    }
    Eventually.await(Duration.ofSeconds(10), () -> stack.sqs.depth(stack.sqs.queues.batchResults()) == 0,
        () -> "batch results left: " + stack.sqs.depth(stack.sqs.queues.batchResults()));
    JsonObject after = api.batch(id);
    assertEquals("completed", after.getString("status"));
    assertEquals(counts, after.getJsonObject("request_counts"), after.encode());
    assertEquals(done.getString("error_file_id"), after.getString("error_file_id"));
  }
}
