package dev.llmworker.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.OpenAiApi;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, the Batches API on a real node (embedded SQS through the SDK, the simulator over HTTP, the embedded
 * S3 store): a batch runs to its output and error files, each custom_id once; an invalid file fails with numbered
 * errors and enqueues nothing; plain tasks still go to the results queue.
 */
class BatchesApiTest {
  private static final String TOKEN = "batches-api-test-token";
  @TempDir
  Path dir;
  private final Stack stack = new Stack(30, 3, SimulatorOptions.defaults().withLatencyMs(5));
  private OpenAiApi api;

  @AfterEach
  void tearDown() {
    stack.close();
  }

  private void start() {
    start(new JsonObject());
  }

  /** A node with the API on over the embedded store; {@code api} keys besides the token, e.g. the window. */
  private void start(JsonObject apiOverrides) {
    String monitor = stack.startNode(json -> json.put("api", apiOverrides.copy().put("tokens", new JsonArray()
            .add(TOKEN)))
        .put("worker", new JsonObject().put("instances", 1).put("concurrency", 4))
        .put("store", new JsonObject().put("embedded", new JsonObject().put("dir", dir.resolve("store").toString()))))
        .monitorUrl();
    api = new OpenAiApi(monitor + "v1/", TOKEN);
  }

  /** Lines that each take the simulator {@code latencyMs}. */
  private static String slowLines(int count, int latencyMs) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      out.append(TestTasks.chat("s-" + i, "slow " + i + " [[sim:latency_ms=" + latencyMs + "]]")).append('\n');
    }
    return out.toString();
  }

  private static long completed(JsonObject batch) {
    return batch.getJsonObject("request_counts").getLong("completed");
  }

  private static String lines(int count, int failEvery) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      String prompt = failEvery > 0 && i % failEvery == 0 ? "refuse [[sim:status=400]]" : "hello " + i;
      out.append(TestTasks.chat("b-" + i, prompt)).append('\n');
    }
    return out.toString();
  }

  /** custom_id → its line, asserting each id is there once. */
  private static Map<String, JsonObject> byId(String jsonl) {
    Map<String, JsonObject> out = new HashMap<>();
    if (jsonl == null) {
      return out;
    }
    for (String line : jsonl.split("\n")) {
      if (!line.isBlank()) {
        JsonObject o = new JsonObject(line);
        assertNull(out.put(o.getString("custom_id"), o), "custom_id twice: " + o.getString("custom_id"));
      }
    }
    return out;
  }

  @Test
  @DisplayName("300 lines, every 10th refused by the provider: completed, 270 answers in the output file and 30 "
      + "400s in the error file, each custom_id once; request_counts exact; the batch results stay out of the "
      + "results queue")
  void runsToItsFiles() {
    start();
    JsonObject created = api.createBatch(lines(300, 10), "/v1/chat/completions", new JsonObject().put("job", "t1"));
    assertEquals("validating", created.getString("status"), created.encode());
    assertEquals("batch", created.getString("object"));
    assertEquals("t1", created.getJsonObject("metadata").getString("job"));
    JsonObject done = api.awaitStatus(created.getString("id"), Duration.ofSeconds(90), "completed", "failed");
    assertEquals("completed", done.getString("status"), done.encode());
    assertEquals(new JsonObject().put("total", 300).put("completed", 270).put("failed", 30),
        done.getJsonObject("request_counts"));
    Map<String, JsonObject> output = byId(api.content(done.getString("output_file_id")));
    Map<String, JsonObject> errors = byId(api.content(done.getString("error_file_id")));
    assertEquals(270, output.size());
    assertEquals(30, errors.size());
    for (int i = 0; i < 300; i++) {
      String id = "b-" + i;
      JsonObject line = i % 10 == 0 ? errors.get(id) : output.get(id);
      assertTrue(line != null, id + " missing");
      if (i % 10 == 0) {
        assertTrue(line.getJsonObject("error").getString("message").contains("400"), line.encode());
      } else {
        assertEquals(200, line.getJsonObject("response").getInteger("status_code"), line.encode());
      }
    }
    for (String at : new String[] {"in_progress_at", "finalizing_at", "completed_at"}) {
      assertTrue(done.getLong(at) != null, at + " not set: " + done.encode());
    }
    assertEquals(0, stack.sqs.depth(stack.sqs.queues.results()), "batch results went to the results queue");
    assertEquals(300, stack.sim.stats().requests(), "calls");
  }

  @Test
  @DisplayName("an invalid file fails with line-numbered errors (bad JSON, another url, a duplicate custom_id) and "
      + "nothing is enqueued")
  void invalidFileFails() {
    start();
    String input = TestTasks.chat("a", "hi") + "\n{not json\n" + TestTasks.chat("a", "again") + "\n"
        + new JsonObject(TestTasks.chat("c", "hi")).put("url", "/chat/completions").encode() + "\n";
    JsonObject created = api.createBatch(input, "/v1/chat/completions", null);
    JsonObject failed = api.awaitStatus(created.getString("id"), Duration.ofSeconds(30), "failed", "in_progress",
        "completed");
    assertEquals("failed", failed.getString("status"), failed.encode());
    JsonArray errors = failed.getJsonObject("errors").getJsonArray("data");
    assertEquals(3, errors.size(), errors.encode());
    assertEquals(2, errors.getJsonObject(0).getInteger("line"));
    assertEquals(3, errors.getJsonObject(1).getInteger("line"));
    assertEquals("duplicate_custom_id", errors.getJsonObject(1).getString("code"));
    assertEquals(4, errors.getJsonObject(2).getInteger("line"));
    assertEquals("mismatched_url", errors.getJsonObject(2).getString("code"));
    assertTrue(failed.getLong("failed_at") != null);
    assertEquals(0, stack.sqs.depth(stack.sqs.queues.tasks()), "an invalid batch enqueued lines");
    assertEquals(0, stack.sim.stats().requests());
  }

  @Test
  @DisplayName("create refusals in OpenAI's shape: unknown file, endpoint, completion_window, metadata")
  void createRefusals() {
    start();
    String fileId = new JsonObject(api.upload("x.jsonl", "batch", TestTasks.chat("a", "b").getBytes()).body())
        .getString("id");
    JsonObject ok = new JsonObject().put("input_file_id", fileId).put("endpoint", "/v1/chat/completions")
        .put("completion_window", "24h");
    assertEquals(400, api.post("batches", ok.copy().put("input_file_id", "file-nope")).statusCode());
    assertEquals(400, api.post("batches", ok.copy().put("endpoint", "/v1/images")).statusCode());
    assertEquals(400, api.post("batches", ok.copy().put("completion_window", "1h")).statusCode());
    assertEquals(400, api.post("batches", ok.copy().put("metadata", new JsonObject().put("k", 1))).statusCode());
    var notFound = api.send(api.request("batches/batch_nope"));
    assertEquals(404, notFound.statusCode());
    assertEquals("invalid_request_error", new JsonObject(notFound.body()).getJsonObject("error").getString("type"));
  }

  @Test
  @DisplayName("cancel mid-run: cancelling, then cancelled with the finished lines in the output and batch_cancelled "
      + "error lines for the rest, each custom_id once; no LLM call for a line not started")
  void cancelMidRun() {
    start();
    JsonObject created = api.createBatch(slowLines(200, 150), "/v1/chat/completions", null);
    String id = created.getString("id");
    JsonObject[] seen = {null};
    dev.llmworker.support.Eventually.await(Duration.ofSeconds(60), () -> completed(seen[0] = api.batch(id)) >= 8,
        () -> "never 8 done: " + seen[0]);
    var cancel = api.post("batches/" + id + "/cancel", new JsonObject());
    assertEquals(200, cancel.statusCode(), cancel.body());
    assertEquals("cancelling", new JsonObject(cancel.body()).getString("status"), cancel.body());
    JsonObject done = api.awaitStatus(id, Duration.ofSeconds(60), "cancelled");
    Map<String, JsonObject> output = byId(api.content(done.getString("output_file_id")));
    Map<String, JsonObject> errors = byId(api.content(done.getString("error_file_id")));
    assertEquals(200, output.size() + errors.size(), "every line once");
    assertTrue(output.size() >= 8 && output.size() < 150, "finished before the cancel: " + output.size());
    errors.values().forEach(e -> assertEquals("batch_cancelled", e.getJsonObject("error").getString("code"),
        e.encode()));
    output.keySet().forEach(k -> assertTrue(!errors.containsKey(k), k + " in both files"));
    assertEquals(output.size(), stack.sim.stats().requests(), "an LLM call for a line that was not run");
    assertEquals(new JsonObject().put("total", 200).put("completed", output.size()).put("failed", errors.size()),
        done.getJsonObject("request_counts"));
    assertTrue(done.getLong("cancelling_at") != null && done.getLong("cancelled_at") != null, done.encode());
    assertEquals(409, api.post("batches/" + id + "/cancel", new JsonObject()).statusCode(), "cancel after the end");
  }

  @Test
  @DisplayName("a batch not done within its window (api.completionWindowSeconds) is expired: the lines not started "
      + "by then are batch_expired error lines, no call made for them")
  void expires() {
    start(new JsonObject().put("completionWindowSeconds", 3));
    JsonObject created = api.createBatch(slowLines(300, 150), "/v1/chat/completions", null);
    JsonObject done = api.awaitStatus(created.getString("id"), Duration.ofSeconds(60), "expired", "completed");
    assertEquals("expired", done.getString("status"), done.encode());
    Map<String, JsonObject> output = byId(api.content(done.getString("output_file_id")));
    Map<String, JsonObject> errors = byId(api.content(done.getString("error_file_id")));
    assertEquals(300, output.size() + errors.size());
    assertTrue(errors.values().stream().allMatch(e -> "batch_expired".equals(e.getJsonObject("error")
        .getString("code"))), "other errors than batch_expired");
    assertTrue(!errors.isEmpty() && !output.isEmpty(), output.size() + " done, " + errors.size() + " expired");
    assertEquals(output.size(), stack.sim.stats().requests());
    assertTrue(done.getLong("expired_at") != null, done.encode());
  }

  @Test
  @DisplayName("on an S3-protocol server of the test's own (store.endpoint + bucket): the batch's records, parts and "
      + "files go there through the SDK; /metrics counts the batch by status")
  void onAnS3Server() throws Exception {
    try (dev.llmworker.store.EmbeddedS3 s3 = dev.llmworker.store.EmbeddedS3.start("127.0.0.1", 0, dir.resolve("s3"));
        dev.llmworker.store.ObjectStore admin = dev.llmworker.store.ObjectStore.open(s3.endpoint(), "us-east-1",
            "team-bucket", "", stack.vertx.getOrCreateContext())) {
      dev.llmworker.support.SqsFixture.await(admin.ensureBucket(true));
      String monitor = stack.startNode(json -> json.put("api", new JsonObject().put("tokens", new JsonArray()
              .add(TOKEN)))
          .put("store", new JsonObject().put("endpoint", s3.endpoint()).put("bucket", "team-bucket")
              .put("prefix", "llmw"))).monitorUrl();
      api = new OpenAiApi(monitor + "v1/", TOKEN);
      JsonObject created = api.createBatch(lines(50, 0), "/v1/chat/completions", null);
      JsonObject done = api.awaitStatus(created.getString("id"), Duration.ofSeconds(60), "completed");
      assertEquals(50, byId(api.content(done.getString("output_file_id"))).size());
      var keys = dev.llmworker.support.SqsFixture.await(admin.list("llmw/")).stream()
          .map(dev.llmworker.store.ObjectStore.Entry::key).toList();
      assertTrue(keys.contains("llmw/batches/records/" + created.getString("id") + ".json"), keys.toString());
      assertTrue(keys.contains("llmw/files/" + done.getString("output_file_id") + ".content"), keys.toString());
      assertTrue(keys.stream().noneMatch(k -> k.startsWith("llmw/batches/parts/")), "parts left: " + keys);
      dev.llmworker.support.Eventually.await(Duration.ofSeconds(15), () -> {
        try {
          String metrics = dev.llmworker.support.Http.get(monitor + "metrics").body();
          return metrics.contains("llmw_batches{status=\"completed\"} 1.0")
              && metrics.contains("llmw_batch_requests{outcome=\"completed\",status=\"completed\"} 50.0");
        } catch (Exception e) {
          return false;
        }
      }, () -> "no batch gauges on /metrics");
    }
  }
}
