package dev.llmworker.sim;

import static dev.llmworker.support.SimulatorCalls.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.support.SimulatorCalls;
import dev.llmworker.task.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAI and Azure endpoints beyond chat (embeddings, legacy completions, Responses, moderations) over real
 * HTTP: their shapes, deterministic vectors, and the same limits, faults, directives and credentials as chat.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class SimulatorEndpointsTest {
  private static final SimulatorOptions FAST = SimulatorOptions.defaults().withLatencyMs(2);
  private static final String KEY = "sk-sim-secret";
  private static final String[] BEARER = {"Authorization", "Bearer " + KEY};
  private static final String SMALL = "text-embedding-3-small";
  private static final String AZURE = "/openai/deployments/my-embedder";
  private static final String VERSION = "?api-version=2024-10-21";

  private static JsonObject embed(Object input) {
    return new JsonObject().put("model", SMALL).put("input", input);
  }

  private static JsonObject error(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error");
  }

  private static float[] vectorAt(HttpResponse<Buffer> response, int index) {
    JsonObject item = response.bodyAsJsonObject().getJsonArray("data").getJsonObject(index);
    assertEquals(index, item.getInteger("index"));
    assertEquals("embedding", item.getString("object"));
    Object embedding = item.getValue("embedding");
    return embedding instanceof String encoded ? Embeddings.fromBase64(encoded) : floats((JsonArray) embedding);
  }

  @Test
  @DisplayName("embeddings: one vector per input, in order, equal to Embeddings.vector, with usage at ≈4 chars a "
      + "token; the same input twice gives the same vector")
  void embeddingsShape(Vertx vertx) {
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST.withApiKey(KEY))) {
      HttpResponse<Buffer> first = calls.post("/v1/embeddings", embed(new JsonArray().add("hello world")
          .add("another text").add("hello world")), BEARER);
      assertEquals(200, first.statusCode());
      assertTrue(first.getHeader("x-request-id").matches("req_\\d+"));
      JsonObject body = first.bodyAsJsonObject();
      assertEquals("list", body.getString("object"));
      assertEquals(SMALL, body.getString("model"));
      assertEquals(3, body.getJsonArray("data").size());
      // 11 + 12 + 11 characters: 3 + 3 + 3 tokens
      assertEquals(new JsonObject().put("prompt_tokens", 9).put("total_tokens", 9), body.getJsonObject("usage"));
      float[] hello = vectorAt(first, 0);
      assertArrayEquals(Embeddings.vector(SMALL, "hello world", 1536), hello);
      assertArrayEquals(Embeddings.vector(SMALL, "another text", 1536), vectorAt(first, 1));
      assertArrayEquals(hello, vectorAt(first, 2));
      assertFalse(Arrays.equals(hello, vectorAt(first, 1)));

      HttpResponse<Buffer> again = calls.post("/v1/embeddings", embed("hello world"), BEARER);
      assertArrayEquals(hello, vectorAt(again, 0));
      assertEquals(2, calls.sim().stats().okCountFor(Endpoint.EMBEDDINGS));
      assertEquals("/v1/embeddings", calls.sim().requests().get(0).path());
    }
  }

  @Test
  @DisplayName("embeddings: dimensions is honoured and base64 decodes to the same floats as the float form")
  void embeddingsDimensionsAndBase64(Vertx vertx) {
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST)) {
      JsonObject request = embed("shorter, please").put("dimensions", 256);
      float[] asFloats = vectorAt(calls.post("/v1/embeddings", request), 0);
      HttpResponse<Buffer> base64 = calls.post("/v1/embeddings", request.copy().put("encoding_format", "base64"));
      assertTrue(base64.bodyAsJsonObject().getJsonArray("data").getJsonObject(0).getValue("embedding")
          instanceof String);
      assertEquals(256, asFloats.length);
      assertArrayEquals(asFloats, vectorAt(base64, 0));
      assertArrayEquals(Embeddings.vector(SMALL, "shorter, please", 256), asFloats);
      float[] large = vectorAt(calls.post("/v1/embeddings", embed("x").put("model", "text-embedding-3-large")), 0);
      assertEquals(3072, large.length);
    }
  }

  @Test
  @DisplayName("embeddings: token-id inputs (one array, or an array of arrays) count one token an id")
  void embeddingsTokenIds(Vertx vertx) {
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST)) {
      HttpResponse<Buffer> one = calls.post("/v1/embeddings", embed(new JsonArray().add(15339).add(1917)));
      assertEquals(2, one.bodyAsJsonObject().getJsonObject("usage").getInteger("prompt_tokens"));
      assertArrayEquals(Embeddings.vector(SMALL, new int[] {15339, 1917}, 1536), vectorAt(one, 0));
      HttpResponse<Buffer> two = calls.post("/v1/embeddings", embed(new JsonArray()
          .add(new JsonArray().add(1).add(2).add(3)).add(new JsonArray().add(4))).put("dimensions", 8));
      assertEquals(4, two.bodyAsJsonObject().getJsonObject("usage").getInteger("prompt_tokens"));
      assertArrayEquals(Embeddings.vector(SMALL, new int[] {1, 2, 3}, 8), vectorAt(two, 0));
      assertArrayEquals(Embeddings.vector(SMALL, new int[] {4}, 8), vectorAt(two, 1));
    }
  }

  @Test
  @DisplayName("embeddings: wrong inputs, too many inputs, out-of-range dimensions and unknown formats are 400s")
  void embeddingsRefused(Vertx vertx) {
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= OpenAiEmbeddings.MAX_INPUTS; i++) {
      tooMany.add("t" + i);
    }
    List<JsonObject> bad = List.of(
        new JsonObject().put("model", SMALL),
        embed(""),
        embed(new JsonArray()),
        embed(new JsonArray().add("text").add(7)),
        embed(new JsonArray().add(1.5)),
        embed(tooMany),
        embed("x".repeat(4 * OpenAiEmbeddings.MAX_INPUT_TOKENS + 1)),
        embed("x").put("dimensions", 0),
        embed("x").put("dimensions", 1537),
        embed("x").put("model", "text-embedding-ada-002").put("dimensions", 256),
        embed("x").put("encoding_format", "hex"),
        new JsonObject().put("input", "no model"));
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST)) {
      for (JsonObject body : bad) {
        HttpResponse<Buffer> response = calls.post("/v1/embeddings", body);
        String shown = body.encode().substring(0, Math.min(80, body.encode().length()));
        assertEquals(400, response.statusCode(), shown);
        assertEquals("invalid_request_error", error(response).getString("type"), shown);
      }
      assertTrue(error(calls.post("/v1/embeddings", bad.get(0))).getString("message").contains("'input'"));
      assertTrue(error(calls.post("/v1/embeddings", bad.get(9))).getString("message")
          .contains("does not support specifying dimensions"));
      assertEquals(0, calls.sim().stats().okCount());
    }
  }

  @Test
  @DisplayName("every new endpoint meets the shared rpm limit: a 429 with Retry-After and x-ratelimit headers")
  void rateLimited(Vertx vertx) {
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST.withRpm(2))) {
      assertEquals(200, calls.post("/v1/embeddings", embed("one")).statusCode());
      assertEquals(200, calls.post("/v1/moderations", new JsonObject().put("input", "two")).statusCode());
      List<HttpResponse<Buffer>> limited = List.of(
          calls.post("/v1/embeddings", embed("three")),
          calls.post("/v1/completions", new JsonObject().put("model", "m").put("prompt", "four")),
          calls.post("/v1/responses", new JsonObject().put("model", "m").put("input", "five")));
      for (HttpResponse<Buffer> response : limited) {
        assertEquals(429, response.statusCode());
        assertEquals("rate_limit_exceeded", error(response).getString("code"));
        assertNotNull(response.getHeader("Retry-After"));
        assertEquals("2", response.getHeader("x-ratelimit-limit-requests"));
        assertEquals("0", response.getHeader("x-ratelimit-remaining-requests"));
      }
    }
  }

  @Test
  @DisplayName("embeddings count their input tokens against tpm, and a batch too big for the window is a 429")
  void tokensPerMinute(Vertx vertx) {
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST.withTpm(100))) {
      HttpResponse<Buffer> first = calls.post("/v1/embeddings", embed("x".repeat(240))); // 60 tokens
      assertEquals(200, first.statusCode());
      assertEquals("40", first.getHeader("x-ratelimit-remaining-tokens"));
      HttpResponse<Buffer> second = calls.post("/v1/embeddings", embed("x".repeat(200))); // 50 tokens
      assertEquals(429, second.statusCode());
      assertEquals("tokens", error(second).getString("type"));
      assertEquals(200, calls.post("/v1/embeddings", embed("x".repeat(160))).statusCode()); // 40 tokens
    }
  }

  @Test
  @DisplayName("directives and injected faults work on embeddings as on chat: status, fail_first, 500s, truncation")
  void directivesAndFaults(Vertx vertx) {
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST)) {
      HttpResponse<Buffer> overloaded = calls.post("/v1/embeddings", embed("busy [[sim:status=503]]"));
      assertEquals(503, overloaded.statusCode());
      assertEquals("server_error", error(overloaded).getString("type"));
      JsonObject flaky = embed(new JsonArray().add("fine").add("flaky [[sim:fail_first=1,fail_status=429,"
          + "retry_after=3]]"));
      HttpResponse<Buffer> failed = calls.post("/v1/embeddings", flaky, "X-Client-Request-Id", "e-1");
      assertEquals(429, failed.statusCode());
      assertEquals("3", failed.getHeader("Retry-After"));
      assertEquals(200, calls.post("/v1/embeddings", flaky, "X-Client-Request-Id", "e-1").statusCode());
      assertEquals(400, calls.post("/v1/embeddings", embed("[[sim:nonsense=1]]")).statusCode());

      calls.sim().setFaults(new FaultRates(0, 1, 0, 0));
      HttpResponse<Buffer> broken = calls.post("/v1/embeddings", embed("during"));
      assertEquals(500, broken.statusCode());
      calls.sim().setFaults(new FaultRates(0, 0, 0, 1));
      HttpResponse<Buffer> cut = calls.post("/v1/moderations", new JsonObject().put("input", "cut me"));
      assertEquals(200, cut.statusCode());
      assertThrows(RuntimeException.class, cut::bodyAsJsonObject);
      calls.sim().setFaults(FaultRates.NONE);
      assertEquals(200, calls.post("/v1/embeddings", embed("after")).statusCode());
      assertEquals(1, calls.sim().stats().truncatedCount());
    }
  }

  @Test
  @DisplayName("with an apiKey, every OpenAI endpoint refuses a call without 'Authorization: Bearer <key>'")
  void keyRequired(Vertx vertx) {
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST.withApiKey(KEY))) {
      Map<String, JsonObject> bodies = Map.of(
          "/v1/embeddings", embed("x"),
          "/v1/completions", new JsonObject().put("model", "m").put("prompt", "x"),
          "/v1/responses", new JsonObject().put("model", "m").put("input", "x"),
          "/v1/moderations", new JsonObject().put("input", "x"));
      bodies.forEach((path, body) -> {
        HttpResponse<Buffer> refused = calls.post(path, body, "Authorization", "Bearer wrong");
        assertEquals(401, refused.statusCode(), path);
        assertEquals("invalid_api_key", error(refused).getString("code"), path);
        assertEquals(401, calls.post(path, body).statusCode(), path);
        assertEquals(200, calls.post(path, body, BEARER).statusCode(), path);
      });
    }
  }

  @Test
  @DisplayName("completions: a text_completion quoting each prompt, n choices each, max_tokens cutting with "
      + "finish_reason length")
  void completions(Vertx vertx) {
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST)) {
      HttpResponse<Buffer> simple = calls.post("/v1/completions",
          new JsonObject().put("model", "gpt-3.5-turbo-instruct").put("prompt", "Say hi"));
      assertEquals(200, simple.statusCode());
      JsonObject body = simple.bodyAsJsonObject();
      assertTrue(body.getString("id").matches("cmpl-\\d+"), body.getString("id"));
      assertEquals("text_completion", body.getString("object"));
      assertEquals("gpt-3.5-turbo-instruct", body.getString("model"));
      assertNotNull(body.getLong("created"));
      assertEquals(new JsonObject().put("text", "Simulated answer to: Say hi").put("index", 0).putNull("logprobs")
          .put("finish_reason", "stop"), body.getJsonArray("choices").getJsonObject(0));
      // "Say hi" is 2 tokens, the 27-character answer 7
      assertEquals(new JsonObject().put("prompt_tokens", 2).put("completion_tokens", 7).put("total_tokens", 9),
          body.getJsonObject("usage"));

      JsonObject several = new JsonObject().put("model", "m").put("n", 2).put("max_tokens", 3)
          .put("prompt", new JsonArray().add("first prompt").add("second"));
      JsonArray choices = calls.post("/v1/completions", several).bodyAsJsonObject().getJsonArray("choices");
      assertEquals(4, choices.size());
      for (int i = 0; i < 4; i++) {
        JsonObject choice = choices.getJsonObject(i);
        assertEquals(i, choice.getInteger("index"));
        assertEquals("length", choice.getString("finish_reason"));
        assertEquals("Simulated an", choice.getString("text"), "3 tokens: 12 characters");
      }
      assertEquals(400, calls.post("/v1/completions", new JsonObject().put("model", "m")).statusCode());
      assertEquals(400, calls.post("/v1/completions", several.copy().put("max_tokens", 0)).statusCode());
      assertEquals(2, calls.sim().stats().okCountFor(Endpoint.COMPLETIONS));
    }
  }

  @Test
  @DisplayName("responses: a completed Response with one output_text message and input/output token usage")
  void responses(Vertx vertx) {
    JsonObject request = new JsonObject().put("model", "gpt-4.1-mini").put("instructions", "Be brief.")
        .put("input", new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", "Earlier question"))
            .add(new JsonObject().put("role", "assistant").put("content", new JsonArray()
                .add(new JsonObject().put("type", "output_text").put("text", "Earlier answer"))))
            .add(new JsonObject().put("type", "message").put("role", "user").put("content", new JsonArray()
                .add(new JsonObject().put("type", "input_text").put("text", "What now?")))));
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST)) {
      HttpResponse<Buffer> response = calls.post("/v1/responses", request);
      assertEquals(200, response.statusCode());
      JsonObject body = response.bodyAsJsonObject();
      assertTrue(body.getString("id").matches("resp_sim_\\d+"), body.getString("id"));
      assertEquals("response", body.getString("object"));
      assertEquals("completed", body.getString("status"));
      assertNull(body.getValue("incomplete_details"));
      assertEquals("Be brief.", body.getString("instructions"));
      assertEquals("gpt-4.1-mini", body.getString("model"));
      assertNotNull(body.getLong("created_at"));
      JsonObject message = body.getJsonArray("output").getJsonObject(0);
      assertEquals("message", message.getString("type"));
      assertTrue(message.getString("id").startsWith("msg_"));
      assertEquals("completed", message.getString("status"));
      assertEquals("assistant", message.getString("role"));
      assertEquals(new JsonArray().add(new JsonObject().put("type", "output_text")
          .put("text", "Simulated answer to: What now?").put("annotations", new JsonArray())),
          message.getJsonArray("content"));
      JsonObject usage = body.getJsonObject("usage");
      // 9 + 16 + 14 + 9 = 48 characters: 12 input tokens; the 30-character answer 8
      assertEquals(12, usage.getInteger("input_tokens"));
      assertEquals(8, usage.getInteger("output_tokens"));
      assertEquals(20, usage.getInteger("total_tokens"));

      JsonObject plain = calls.post("/v1/responses", new JsonObject().put("model", "m").put("input", "Hi"))
          .bodyAsJsonObject();
      assertEquals("Simulated answer to: Hi", plain.getJsonArray("output").getJsonObject(0)
          .getJsonArray("content").getJsonObject(0).getString("text"));
      assertEquals(2, calls.sim().stats().okCountFor(Endpoint.RESPONSES));
    }
  }

  @Test
  @DisplayName("responses: cut by max_output_tokens it is incomplete for max_output_tokens; below 16 it is a 400")
  void responsesIncomplete(Vertx vertx) {
    JsonObject longAnswer = new JsonObject().put("model", "m").put("max_output_tokens", 16)
        .put("input", "tell me a lot [[sim:answer_chars=400]]");
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST)) {
      JsonObject body = calls.post("/v1/responses", longAnswer).bodyAsJsonObject();
      assertEquals("incomplete", body.getString("status"));
      assertEquals(new JsonObject().put("reason", "max_output_tokens"), body.getJsonObject("incomplete_details"));
      JsonObject message = body.getJsonArray("output").getJsonObject(0);
      assertEquals("incomplete", message.getString("status"));
      assertEquals(64, message.getJsonArray("content").getJsonObject(0).getString("text").length());
      assertEquals(16, body.getJsonObject("usage").getInteger("output_tokens"));
      assertEquals(16, body.getInteger("max_output_tokens"));

      HttpResponse<Buffer> tooSmall = calls.post("/v1/responses", longAnswer.copy().put("max_output_tokens", 5));
      assertEquals(400, tooSmall.statusCode());
      assertTrue(error(tooSmall).getString("message").contains(">= 16"));
      assertEquals(400, calls.post("/v1/responses", new JsonObject().put("model", "m")).statusCode());
      assertEquals(400, calls.post("/v1/responses", new JsonObject().put("model", "m")
          .put("input", new JsonArray().add("not an item"))).statusCode());
    }
  }

  @Test
  @DisplayName("moderations: OpenAI's 13 categories, flagged only by a [[flag]] marker, the same scores every "
      + "time, no usage")
  void moderations(Vertx vertx) {
    JsonObject request = new JsonObject().put("input", new JsonArray().add("a kind sentence")
        .add("something bad [[flag]]").add("worse [[flag:hate]] [[flag:self-harm/intent]]"));
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST)) {
      HttpResponse<Buffer> response = calls.post("/v1/moderations", request);
      assertEquals(200, response.statusCode());
      JsonObject body = response.bodyAsJsonObject();
      assertTrue(body.getString("id").startsWith("modr-"));
      assertEquals("omni-moderation-latest", body.getString("model"));
      assertFalse(body.containsKey("usage"));
      JsonArray results = body.getJsonArray("results");
      assertEquals(3, results.size());
      JsonObject kind = results.getJsonObject(0);
      assertFalse(kind.getBoolean("flagged"));
      assertEquals(Moderations.CATEGORIES, new ArrayList<>(kind.getJsonObject("categories").fieldNames()));
      assertEquals(Moderations.CATEGORIES, new ArrayList<>(kind.getJsonObject("category_scores").fieldNames()));
      assertEquals(new JsonArray().add("text"), kind.getJsonObject("category_applied_input_types")
          .getJsonArray("violence"));
      kind.getJsonObject("category_scores").forEach(score -> assertTrue(((Number) score.getValue()).doubleValue()
          < 0.01, score.toString()));
      JsonObject bad = results.getJsonObject(1);
      assertTrue(bad.getBoolean("flagged"));
      assertTrue(bad.getJsonObject("categories").getBoolean("violence"));
      assertEquals(0.99, bad.getJsonObject("category_scores").getDouble("violence"));
      JsonObject worse = results.getJsonObject(2).getJsonObject("categories");
      assertTrue(worse.getBoolean("hate") && worse.getBoolean("self-harm/intent") && !worse.getBoolean("violence"));

      JsonObject again = calls.post("/v1/moderations", request.copy().put("model", "omni-moderation-2024-09-26"))
          .bodyAsJsonObject();
      assertEquals("omni-moderation-2024-09-26", again.getString("model"));
      assertEquals(results, again.getJsonArray("results"));
      JsonArray items = new JsonArray().add(new JsonObject().put("type", "text").put("text", "part one [[flag]]"))
          .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "data:x")));
      JsonArray one = calls.post("/v1/moderations", new JsonObject().put("input", items)).bodyAsJsonObject()
          .getJsonArray("results");
      assertEquals(1, one.size(), "multi-modal items are one input");
      assertTrue(one.getJsonObject(0).getBoolean("flagged"));
      assertEquals(400, calls.post("/v1/moderations", new JsonObject().put("input", "[[flag:nope]]")).statusCode());
      assertEquals(400, calls.post("/v1/moderations", new JsonObject()).statusCode());
    }
  }

  @Test
  @DisplayName("Azure: embeddings and completions on the deployment path, Responses on /openai/v1/responses, and "
      + "no moderations")
  void azure(Vertx vertx) {
    String[] apiKey = {"api-key", KEY};
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST.withApiKey(KEY).withRpm(100))) {
      HttpResponse<Buffer> embedded = calls.post(AZURE + "/embeddings" + VERSION,
          new JsonObject().put("input", "azure text").put("dimensions", 64), apiKey);
      assertEquals(200, embedded.statusCode());
      assertEquals("my-embedder", embedded.bodyAsJsonObject().getString("model"));
      assertArrayEquals(Embeddings.vector("my-embedder", "azure text", 64), vectorAt(embedded, 0),
          "the deployment name is the model");
      assertEquals("100", embedded.getHeader("x-ratelimit-limit-requests"));

      HttpResponse<Buffer> completed = calls.post(AZURE + "/completions" + VERSION,
          new JsonObject().put("prompt", "azure prompt"), apiKey);
      assertEquals(200, completed.statusCode());
      assertEquals("my-embedder", completed.bodyAsJsonObject().getString("model"));

      HttpResponse<Buffer> responded = calls.post("/openai/v1/responses",
          new JsonObject().put("model", "my-gpt-deployment").put("input", "azure question"), apiKey);
      assertEquals(200, responded.statusCode());
      assertEquals("my-gpt-deployment", responded.bodyAsJsonObject().getString("model"));

      assertEquals(404, calls.post(AZURE + "/embeddings", new JsonObject().put("input", "x"), apiKey).statusCode(),
          "no api-version");
      assertEquals(401, calls.post(AZURE + "/embeddings" + VERSION, new JsonObject().put("input", "x"),
          "api-key", "wrong").statusCode());
      assertEquals(401, calls.post("/openai/v1/responses", new JsonObject().put("model", "m").put("input", "x"),
          BEARER).statusCode(), "Azure wants api-key");
      assertEquals(400, calls.post("/openai/v1/responses", new JsonObject().put("input", "no model"), apiKey)
          .statusCode());
      assertEquals(404, calls.post(AZURE + "/moderations" + VERSION, new JsonObject().put("input", "x"), apiKey)
          .statusCode());
    }
  }

  @Test
  @DisplayName("GET /stats counts requests, answers and tokens per endpoint; GET /v1/models lists embedding models")
  void statsByEndpoint(Vertx vertx) {
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST)) {
      calls.post("/v1/embeddings", embed("12345678"));
      calls.post("/v1/embeddings", embed("[[sim:status=500]]"));
      calls.post("/v1/chat/completions", new JsonObject().put("messages", new JsonArray()
          .add(new JsonObject().put("role", "user").put("content", "hi"))));
      JsonObject byEndpoint = calls.get("/stats").bodyAsJsonObject().getJsonObject("by_endpoint");
      assertEquals(new JsonObject().put("requests", 2).put("ok", 1).put("prompt_tokens", 2)
          .put("completion_tokens", 0), byEndpoint.getJsonObject("embeddings"));
      assertEquals(1, byEndpoint.getJsonObject("chat").getInteger("ok"));
      assertFalse(byEndpoint.containsKey("moderations"));
      assertEquals(2, calls.sim().stats().requestsFor(Endpoint.EMBEDDINGS));

      JsonArray models = calls.get("/v1/models").bodyAsJsonObject().getJsonArray("data");
      List<String> ids = models.stream().map(m -> ((JsonObject) m).getString("id")).toList();
      assertTrue(ids.containsAll(List.of("sim-1", SMALL, "text-embedding-3-large")), ids.toString());
    }
  }
}
