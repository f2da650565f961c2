package dev.llmworker.sim;

import static dev.llmworker.support.SimulatorCalls.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.support.SimulatorCalls;
import dev.llmworker.task.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bedrock's InvokeModel for Titan Text Embeddings v2 and Cohere Embed v3, over real HTTP. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class SimulatorBedrockInvokeTest {
  private static final SimulatorOptions FAST = SimulatorOptions.defaults().withLatencyMs(3);
  private static final String TITAN = "amazon.titan-embed-text-v2:0";
  private static final String TITAN_PATH = "/model/amazon.titan-embed-text-v2%3A0/invoke";
  private static final String COHERE = "cohere.embed-english-v3";
  private static final String[] SIGNED = {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/"
      + "us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd",
      "X-Amz-Date", "20260101T000000Z"};

  private static JsonObject cohere(JsonArray texts) {
    return new JsonObject().put("texts", texts).put("input_type", "search_document");
  }

  @Test
  @DisplayName("Titan v2: 1024 floats by default in embedding and embeddingsByType, the token count in the body "
      + "and in X-Amzn-Bedrock-Input-Token-Count")
  void titan(Vertx vertx) {
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST)) {
      HttpResponse<Buffer> response = calls.post(TITAN_PATH, new JsonObject().put("inputText", "Hello Titan"),
          SIGNED);
      assertEquals(200, response.statusCode());
      JsonObject body = response.bodyAsJsonObject();
      assertEquals(List.of("embedding", "inputTextTokenCount", "embeddingsByType"), List.copyOf(body.fieldNames()));
      float[] vector = floats(body.getJsonArray("embedding"));
      assertArrayEquals(Embeddings.vector(TITAN, "Hello Titan", 1024), vector);
      assertArrayEquals(vector, floats(body.getJsonObject("embeddingsByType").getJsonArray("float")));
      assertEquals(3, body.getInteger("inputTextTokenCount")); // 11 characters
      assertEquals("3", response.getHeader("X-Amzn-Bedrock-Input-Token-Count"));
      assertEquals("0", response.getHeader("X-Amzn-Bedrock-Output-Token-Count"));
      assertEquals("3", response.getHeader("X-Amzn-Bedrock-Invocation-Latency"));
      assertTrue(response.getHeader("x-amzn-RequestId").matches("[0-9a-f-]{36}"));

      HttpResponse<Buffer> again = calls.post(TITAN_PATH, new JsonObject().put("inputText", "Hello Titan"), SIGNED);
      assertArrayEquals(vector, floats(again.bodyAsJsonObject().getJsonArray("embedding")));
      assertEquals(2, calls.sim().stats().okCountFor(Endpoint.EMBEDDINGS));
      assertEquals(TITAN, calls.sim().requests().get(0).pathParams().get("modelId"));
    }
  }

  @Test
  @DisplayName("Titan v2: dimensions 256, binary beside float, and normalize=false are honoured")
  void titanOptions(Vertx vertx) {
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST)) {
      JsonObject both = calls.post(TITAN_PATH, new JsonObject().put("inputText", "short").put("dimensions", 256)
          .put("embeddingTypes", new JsonArray().add("float").add("binary")), SIGNED).bodyAsJsonObject();
      float[] vector = Embeddings.vector(TITAN, "short", 256);
      assertArrayEquals(vector, floats(both.getJsonArray("embedding")));
      JsonArray bits = both.getJsonObject("embeddingsByType").getJsonArray("binary");
      assertEquals(256, bits.size());
      for (int i = 0; i < 256; i++) {
        assertEquals(vector[i] > 0 ? 1 : 0, bits.getInteger(i));
      }
      JsonObject binaryOnly = calls.post(TITAN_PATH, new JsonObject().put("inputText", "short").put("dimensions", 256)
          .put("embeddingTypes", new JsonArray().add("binary")), SIGNED).bodyAsJsonObject();
      assertNull(binaryOnly.getJsonObject("embeddingsByType").getValue("float"));
      JsonObject raw = calls.post(TITAN_PATH, new JsonObject().put("inputText", "short").put("dimensions", 512)
          .put("normalize", false), SIGNED).bodyAsJsonObject();
      assertArrayEquals(Embeddings.unnormalised(TITAN, "short", 512), floats(raw.getJsonArray("embedding")));
    }
  }

  @Test
  @DisplayName("Cohere v3: one 1024-float vector per text, texts echoed, embeddings_floats or, with "
      + "embedding_types, embeddings_by_type")
  void cohere(Vertx vertx) {
    JsonArray texts = new JsonArray().add("first document").add("second one");
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST)) {
      HttpResponse<Buffer> response = calls.post("/model/" + COHERE + "/invoke", cohere(texts), SIGNED);
      assertEquals(200, response.statusCode());
      JsonObject body = response.bodyAsJsonObject();
      assertEquals("embeddings_floats", body.getString("response_type"));
      assertEquals(texts, body.getJsonArray("texts"));
      assertTrue(body.getString("id").matches("[0-9a-f-]{36}"));
      JsonArray vectors = body.getJsonArray("embeddings");
      assertArrayEquals(Embeddings.vector(COHERE, "first document", 1024), floats(vectors.getJsonArray(0)));
      assertArrayEquals(Embeddings.vector(COHERE, "second one", 1024), floats(vectors.getJsonArray(1)));
      assertFalse(Arrays.equals(floats(vectors.getJsonArray(0)), floats(vectors.getJsonArray(1))));
      assertEquals("7", response.getHeader("X-Amzn-Bedrock-Input-Token-Count")); // 14 and 10 characters: 4 + 3

      JsonObject byType = calls.post("/model/cohere.embed-multilingual-v3/invoke",
          cohere(texts).put("embedding_types", new JsonArray().add("float")), SIGNED).bodyAsJsonObject();
      assertEquals("embeddings_by_type", byType.getString("response_type"));
      assertArrayEquals(Embeddings.vector("cohere.embed-multilingual-v3", "second one", 1024),
          floats(byType.getJsonObject("embeddings").getJsonArray("float").getJsonArray(1)));
    }
  }

  @Test
  @DisplayName("InvokeModel refusals: unknown model, bad bodies as ValidationException, no SigV4 as 403")
  void refused(Vertx vertx) {
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= BedrockInvoke.COHERE_MAX_TEXTS; i++) {
      tooMany.add("t");
    }
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST)) {
      HttpResponse<Buffer> unknown = calls.post("/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke",
          new JsonObject().put("inputText", "x"), SIGNED);
      assertEquals(400, unknown.statusCode());
      assertEquals("ValidationException", unknown.getHeader("x-amzn-ErrorType"));
      assertEquals(new JsonObject().put("message", "The provided model identifier is invalid."),
          unknown.bodyAsJsonObject());
      List<JsonObject> titanBodies = List.of(new JsonObject(), new JsonObject().put("inputText", ""),
          new JsonObject().put("inputText", "x").put("dimensions", 300),
          new JsonObject().put("inputText", "x").put("texts", new JsonArray()),
          new JsonObject().put("inputText", "x").put("embeddingTypes", new JsonArray().add("int8")));
      for (JsonObject body : titanBodies) {
        HttpResponse<Buffer> response = calls.post(TITAN_PATH, body, SIGNED);
        assertEquals(400, response.statusCode(), body.encode());
        assertEquals("ValidationException", response.getHeader("x-amzn-ErrorType"), body.encode());
        assertTrue(response.bodyAsJsonObject().getString("message").startsWith("Malformed input request"),
            body.encode());
      }
      assertEquals(400, calls.post("/model/" + COHERE + "/invoke", new JsonObject().put("texts",
          new JsonArray().add("x")), SIGNED).statusCode(), "input_type is required");
      assertEquals(400, calls.post("/model/" + COHERE + "/invoke", cohere(tooMany), SIGNED).statusCode());
      assertEquals(400, calls.post("/model/" + COHERE + "/invoke", cohere(new JsonArray().add("x".repeat(2049))),
          SIGNED).statusCode());
      JsonObject truncated = calls.post("/model/" + COHERE + "/invoke", cohere(new JsonArray()
          .add("x".repeat(2049))).put("truncate", "END"), SIGNED).bodyAsJsonObject();
      assertArrayEquals(Embeddings.vector(COHERE, "x".repeat(2048), 1024),
          floats(truncated.getJsonArray("embeddings").getJsonArray(0)));
      HttpResponse<Buffer> unsigned = calls.post(TITAN_PATH, new JsonObject().put("inputText", "x"));
      assertEquals(403, unsigned.statusCode());
      assertEquals("UnrecognizedClientException", unsigned.getHeader("x-amzn-ErrorType"));
    }
  }

  @Test
  @DisplayName("InvokeModel shares the rpm limit (a ThrottlingException, no rate headers) and obeys directives")
  void limitsAndDirectives(Vertx vertx) {
    try (SimulatorCalls calls = SimulatorCalls.start(vertx, FAST.withRpm(2))) {
      HttpResponse<Buffer> failed = calls.post(TITAN_PATH, new JsonObject().put("inputText",
          "fail [[sim:status=500]]"), SIGNED);
      assertEquals(500, failed.statusCode());
      assertEquals("InternalServerException", failed.getHeader("x-amzn-ErrorType"));
      assertEquals(200, calls.post("/model/" + COHERE + "/invoke", cohere(new JsonArray().add("ok")), SIGNED)
          .statusCode());
      HttpResponse<Buffer> throttled = calls.post(TITAN_PATH, new JsonObject().put("inputText", "x"), SIGNED);
      assertEquals(429, throttled.statusCode());
      assertEquals("ThrottlingException", throttled.getHeader("x-amzn-ErrorType"));
      assertNull(throttled.getHeader("Retry-After"));
      assertNull(throttled.getHeader("x-ratelimit-limit-requests"));
      assertEquals(3, calls.sim().stats().requestsFor(Endpoint.EMBEDDINGS));
    }
  }
}
