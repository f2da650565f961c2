package dev.llmworker.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.Ports;
import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.JarProcess;
import dev.llmworker.support.SqsFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAI-Batch-style round trip a user does with no code of their own: a JSONL file → {@code submit} → a
 * running {@code run} (its embedded SQS, found by the commands with no endpoint configured) → {@code results}.
 */
class RoundTripIT {
  private static final int LINES = 10_000;
  private static final String[] MODELS = {"gpt-4o-mini", "gpt-4o", "gpt-3.5-turbo"};

  @TempDir
  Path dir;
  private Vertx vertx;
  private LlmSimulator sim;
  private JarProcess node;
  private int sqsPort;
  private Cli cli;

  @BeforeEach
  void startNode() throws Exception {
    vertx = Vertx.vertx();
    sim = SqsFixture.await(LlmSimulator.start(vertx, SimulatorOptions.defaults().withLatencyMs(20)));
    sqsPort = Ports.free(1).get(0);
    node = JarProcess.start(Map.of(
        "LLMW_SQS_EMBEDDED_PORT", String.valueOf(sqsPort),
        "LLMW_PROVIDER_BASE_URL", sim.baseUrl(),
        "LLMW_PROVIDER_API_KEY_ENV", "none",
        "LLMW_MONITOR_PORT", "0",
        "LLMW_WORKER_CONCURRENCY", "100"), "run");
    node.awaitLine(l -> l.contains("llm-worker running"), Duration.ofSeconds(90));
    // no endpoint: the commands find the running node's embedded SQS on the configured embedded port
    cli = new Cli(dir, null, new JsonObject().put("sqs", new JsonObject()
        .put("embedded", new JsonObject().put("port", sqsPort))));
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.terminate();
      node.awaitExit(Duration.ofSeconds(60));
    }
    SqsFixture.await(sim.close());
    SqsFixture.await(vertx.close());
  }

  @Test
  @DisplayName("10,000 Batch API lines: submit, run and results give exactly 10,000 result lines in the Batch API "
      + "output format, each custom_id once with the answer to its own prompt; a second results adds nothing")
  void roundTrip() throws Exception {
    Path input = dir.resolve("batch-input.jsonl");
    Map<String, JsonObject> requests = writeInput(input);
    assertEquals(LINES, requests.size());

    Cli.Run submitted = cli.run("submit", input.toString());
    assertEquals(0, submitted.exit(), submitted.all());
    assertTrue(submitted.out().contains("sent " + String.format("%,d", LINES)) || submitted.out().contains(
        "sent " + LINES), submitted.all());

    Eventually.await(Duration.ofSeconds(180), this::tasksDone, () -> "tasks left: " + cli.run("status").out());

    Path out = dir.resolve("results.jsonl");
    Cli.Run drained = cli.run("results", "--out", out.toString());
    assertEquals(0, drained.exit(), drained.all());
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(LINES, lines.size(), drained.all());
    Set<String> seen = new java.util.HashSet<>();
    for (String line : lines) {
      JsonObject result = new JsonObject(line);
      String id = result.getString("custom_id");
      assertTrue(seen.add(id), "custom_id twice: " + id);
      assertBatchOutputLine(result, requests.get(id));
    }
    assertEquals(requests.keySet(), seen);

    byte[] before = Files.readAllBytes(out);
    Cli.Run again = cli.run("results", "--out", out.toString());
    assertEquals(0, again.exit(), again.all());
    assertArrayEquals(before, Files.readAllBytes(out), "a second results run changed the file");
  }

  /** The tasks queue is empty and nothing is running: every result is on the results queue. */
  private boolean tasksDone() {
    Cli.Run status = cli.run("status", "--json");
    JsonObject tasks = new JsonObject(status.out().trim()).getJsonObject("queues").getJsonObject("tasks");
    return tasks.getLong("visible") + tasks.getLong("in_flight") + tasks.getLong("delayed") == 0;
  }

  /** The documented output line: id, custom_id, response{status_code, request_id, body}, error; plus llmw. */
  private static void assertBatchOutputLine(JsonObject result, JsonObject request) {
    assertEquals(Set.of("id", "custom_id", "response", "error", "llmw"), result.fieldNames(), result.encode());
    assertTrue(result.getString("id").startsWith("batch_req_"), result.encode());
    assertNull(result.getValue("error"));
    JsonObject response = result.getJsonObject("response");
    assertEquals(Set.of("status_code", "request_id", "body"), response.fieldNames());
    assertEquals(200, response.getInteger("status_code"));
    assertTrue(response.getString("request_id") != null && !response.getString("request_id").isEmpty());
    JsonObject body = response.getJsonObject("body");
    assertEquals("chat.completion", body.getString("object"));
    assertEquals(request.getJsonObject("body").getString("model"), body.getString("model"));
    JsonObject message = body.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertEquals("assistant", message.getString("role"));
    assertEquals(expectedAnswer(request), message.getString("content"), "the answer to another prompt?");
    JsonObject usage = body.getJsonObject("usage");
    assertEquals(usage.getInteger("prompt_tokens") + usage.getInteger("completion_tokens"),
        usage.getInteger("total_tokens"));
    assertTrue(result.getJsonObject("llmw").getInteger("attempts") >= 1);
  }

  /** The simulator quotes the first 40 characters of the last user message (39 if the 40th starts an emoji). */
  private static String expectedAnswer(JsonObject request) {
    String last = "";
    for (Object m : request.getJsonObject("body").getJsonArray("messages")) {
      JsonObject message = (JsonObject) m;
      if ("user".equals(message.getString("role"))) {
        last = message.getValue("content") instanceof String s ? s : textOf(message.getJsonArray("content"));
      }
    }
    int end = Math.min(40, last.length());
    if (end > 0 && end < last.length() && Character.isHighSurrogate(last.charAt(end - 1))) {
      end--;
    }
    return "Simulated answer to: " + last.substring(0, end);
  }

  private static String textOf(JsonArray parts) {
    StringBuilder text = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof JsonObject p && p.getValue("text") instanceof String s) {
        text.append(s);
      }
    }
    return text.toString();
  }

  /**
   * The realistic Batch API file from the test resources (models, system prompts, unicode, long prompts), with
   * custom_ids made unique, then generated lines up to {@link #LINES}. Returns the requests by custom_id.
   */
  private static Map<String, JsonObject> writeInput(Path file) throws IOException {
    List<String> realistic = new ArrayList<>();
    try (InputStream in = RoundTripIT.class.getResourceAsStream("/batch/openai-batch-input.jsonl")) {
      new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).forEach(realistic::add);
    }
    Map<String, JsonObject> requests = new HashMap<>();
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < LINES; i++) {
        JsonObject line = i < realistic.size() ? new JsonObject(realistic.get(i)) : generated(i);
        String id = "rt-" + i + "-" + line.getString("custom_id");
        line.put("custom_id", id);
        requests.put(id, line);
        w.write(line.encode());
        w.write('\n');
      }
    }
    return requests;
  }

  private static JsonObject generated(int i) {
    String model = MODELS[i % MODELS.length];
    JsonArray messages = new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "You are a careful translator. Réponds briè"
            + "vement."))
        .add(new JsonObject().put("role", "user").put("content", "Nr. " + i + ": übersetze »Guten Morgen« "
            + "ins Japanische — おはようございます? " + "Kontext ".repeat(i % 7)));
    return new JsonObject().put("custom_id", "request-" + i).put("method", "POST").put("url", "/v1/chat/completions")
        .put("body", new JsonObject().put("model", model).put("messages", messages).put("max_tokens", 64)
            .put("temperature", 0.2));
  }
}
