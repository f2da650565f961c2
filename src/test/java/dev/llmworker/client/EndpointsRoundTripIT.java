package dev.llmworker.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.Ports;
import dev.llmworker.sim.Embeddings;
import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.JarProcess;
import dev.llmworker.support.SqsFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: one Batch file mixing every endpoint (chat, Responses, embeddings with several inputs in floats and in
 * base64, text completions, moderations) through {@code submit} → {@code run} → {@code results}. Every line's
 * answer has its endpoint's shape, and every vector is the simulator's for that input.
 */
class EndpointsRoundTripIT {
  private static final int ROUNDS = 40;
  private static final String EMBED = "text-embedding-3-small";

  @TempDir
  Path dir;
  private Vertx vertx;
  private LlmSimulator sim;
  private JarProcess node;
  private Cli cli;

  @BeforeEach
  void startNode() throws Exception {
    vertx = Vertx.vertx();
    sim = SqsFixture.await(LlmSimulator.start(vertx, SimulatorOptions.defaults().withLatencyMs(10)));
    int sqsPort = Ports.free(1).get(0);
    node = JarProcess.start(Map.of(
        "LLMW_SQS_EMBEDDED_PORT", String.valueOf(sqsPort),
        "LLMW_PROVIDER_BASE_URL", sim.baseUrl(),
        "LLMW_PROVIDER_API_KEY_ENV", "none",
        "LLMW_MONITOR_PORT", "0"), "run");
    node.awaitLine(l -> l.contains("llm-worker running"), Duration.ofSeconds(90));
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

  private static JsonObject line(String id, String url, JsonObject body) {
    return new JsonObject().put("custom_id", id).put("method", "POST").put("url", url).put("body", body);
  }

  /** Eight kinds of line per round: every endpoint, embeddings four ways. */
  private static List<JsonObject> round(int i) {
    String topic = "topic " + i + " — naïve café ☕";
    return List.of(
        line("chat-" + i, "/v1/chat/completions", new JsonObject().put("model", "gpt-4o-mini").put("max_tokens", 16)
            .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi " + topic)))),
        line("resp-" + i, "/v1/responses", new JsonObject().put("model", "gpt-4.1-mini").put("instructions", "Brief.")
            .put("input", i % 2 == 0 ? "Explain " + topic : new JsonArray().add(new JsonObject().put("role", "user")
                .put("content", new JsonArray().add(new JsonObject().put("type", "input_text")
                    .put("text", "Explain " + topic)))))),
        line("emb1-" + i, "/v1/embeddings", new JsonObject().put("model", EMBED).put("input", "one " + topic)),
        line("emb3-" + i, "/v1/embeddings", new JsonObject().put("model", EMBED)
            .put("input", new JsonArray().add("a " + topic).add("b " + topic).add("c " + topic))),
        line("emb64-" + i, "/v1/embeddings", new JsonObject().put("model", EMBED).put("encoding_format", "base64")
            .put("dimensions", 256).put("input", new JsonArray().add("x " + topic).add("y " + topic))),
        line("embtok-" + i, "/v1/embeddings", new JsonObject().put("model", EMBED)
            .put("input", new JsonArray().add(new JsonArray().add(i).add(7).add(9)))),
        line("cmpl-" + i, "/v1/completions", new JsonObject().put("model", "gpt-3.5-turbo-instruct")
            .put("prompt", "Complete: " + topic).put("max_tokens", 12)),
        line("mod-" + i, "/v1/moderations", new JsonObject().put("model", "omni-moderation-latest")
            .put("input", i % 4 == 0 ? "flag this [[flag]] " + topic : "a kind word about " + topic)));
  }

  @Test
  @DisplayName("a Batch file mixing chat, responses, embeddings (several inputs, float and base64, token ids), "
      + "completions and moderations: submit, run, results give each custom_id once in its endpoint's shape, "
      + "the vectors the simulator's for each input")
  void everyEndpoint() throws Exception {
    Path input = dir.resolve("mixed.jsonl");
    Map<String, JsonObject> requests = new HashMap<>();
    try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
      for (int i = 0; i < ROUNDS; i++) {
        for (JsonObject line : round(i)) {
          requests.put(line.getString("custom_id"), line);
          w.write(line.encode());
          w.write('\n');
        }
      }
    }
    Cli.Run submitted = cli.run("submit", input.toString());
    assertEquals(0, submitted.exit(), submitted.all());

    Path out = dir.resolve("results.jsonl");
    Path errors = dir.resolve("errors.jsonl");
    Eventually.await(Duration.ofSeconds(120), () -> {
      cli.run("results", "--out", out.toString(), "--errors", errors.toString());
      try {
        return Files.exists(out) && Files.readAllLines(out).size() + (Files.exists(errors)
            ? Files.readAllLines(errors).size() : 0) >= requests.size();
      } catch (java.io.IOException e) {
        return false;
      }
    }, () -> "results so far: " + cli.run("status").out());
    assertTrue(!Files.exists(errors) || Files.readAllLines(errors).isEmpty(), "errors: " + (Files.exists(errors)
        ? Files.readString(errors) : ""));
    Set<String> seen = new HashSet<>();
    for (String text : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      JsonObject result = new JsonObject(text);
      String id = result.getString("custom_id");
      assertTrue(seen.add(id), "custom_id twice: " + id);
      assertNull(result.getValue("error"), text);
      JsonObject body = result.getJsonObject("response").getJsonObject("body");
      check(requests.get(id), body, result.getJsonObject("llmw"));
    }
    assertEquals(requests.keySet(), seen);
    JsonObject byEndpoint = sim.stats().toJson().getJsonObject("by_endpoint", new JsonObject());
    assertTrue(byEndpoint.encode().contains("embeddings"), byEndpoint.encode());
  }

  private static void check(JsonObject request, JsonObject body, JsonObject llmw) {
    String id = request.getString("custom_id");
    JsonObject req = request.getJsonObject("body");
    switch (request.getString("url")) {
      case "/v1/chat/completions" -> assertEquals("chat.completion", body.getString("object"), id);
      case "/v1/responses" -> {
        assertEquals("response", body.getString("object"), id);
        String text = body.getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0)
            .getString("text");
        assertTrue(text != null && !text.isEmpty(), body.encode());
        assertTrue(llmw.getJsonObject("usage").getLong("prompt_tokens") > 0, llmw.encode());
      }
      case "/v1/completions" -> {
        assertEquals("text_completion", body.getString("object"), id);
        assertTrue(!body.getJsonArray("choices").getJsonObject(0).getString("text").isEmpty(), body.encode());
      }
      case "/v1/moderations" -> assertEquals(req.getString("input").contains("[[flag]]"),
          body.getJsonArray("results").getJsonObject(0).getBoolean("flagged"), body.encode());
      case "/v1/embeddings" -> checkVectors(req, body, llmw);
      default -> throw new AssertionError(request.encode());
    }
  }

  private static void checkVectors(JsonObject req, JsonObject body, JsonObject llmw) {
    assertEquals("list", body.getString("object"));
    Object input = req.getValue("input");
    JsonArray inputs = input instanceof JsonArray a ? a : new JsonArray().add(input);
    JsonArray data = body.getJsonArray("data");
    assertEquals(inputs.size(), data.size(), body.encode());
    int dims = req.getInteger("dimensions", Embeddings.defaultDimensions(EMBED));
    for (int k = 0; k < inputs.size(); k++) {
      float[] expected = inputs.getValue(k) instanceof JsonArray ids
          ? Embeddings.vector(EMBED, ids.stream().mapToInt(x -> ((Number) x).intValue()).toArray(), dims)
          : Embeddings.vector(EMBED, inputs.getString(k), dims);
      JsonObject item = data.getJsonObject(k);
      assertEquals(k, item.getInteger("index"));
      float[] got;
      if ("base64".equals(req.getString("encoding_format"))) {
        got = Embeddings.fromBase64(item.getString("embedding"));
      } else {
        JsonArray floats = item.getJsonArray("embedding");
        got = new float[floats.size()];
        for (int d = 0; d < got.length; d++) {
          got[d] = ((Number) floats.getValue(d)).floatValue();
        }
      }
      assertArrayEquals(expected, got, "the vector of another input? " + req.encode());
    }
    assertTrue(llmw.getJsonObject("usage").getLong("prompt_tokens") > 0, llmw.encode());
    assertEquals(0, llmw.getJsonObject("usage").getLong("completion_tokens"), llmw.encode());
  }
}
