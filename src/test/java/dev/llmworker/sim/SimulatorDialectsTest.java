package dev.llmworker.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.ThrowingConsumer;

/** The Azure, Anthropic and Bedrock wire formats of the simulator, over real HTTP on a free port. */
@ExtendWith(VertxExtension.class)
@Timeout(20_000)
class SimulatorDialectsTest {
  private static final SimulatorOptions FAST = SimulatorOptions.defaults().withLatencyMs(5);
  private static final String KEY = "sk-sim-secret";
  private static final String AZURE = "/openai/deployments/my-gpt4o/chat/completions";
  private static final String AZURE_VERSION = "?api-version=2024-10-21";
  private static final String BEDROCK_MODEL = "anthropic.claude-3-haiku-20240307-v1%3A0";
  private static final String SIGV4 = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/bedrock/"
      + "aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd";

  private LlmSimulator sim;
  private WebClient client;

  private Future<LlmSimulator> start(Vertx vertx, SimulatorOptions options) {
    client = WebClient.create(vertx);
    return LlmSimulator.start(vertx, options).onSuccess(started -> sim = started);
  }

  private HttpRequest<Buffer> post(String pathAndQuery) {
    return client.postAbs("http://" + sim.host() + ":" + sim.port() + pathAndQuery);
  }

  private static JsonObject openAi(String content) {
    return new JsonObject().put("model", "gpt-test")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", content)));
  }

  private static JsonObject anthropic(String content) {
    return new JsonObject().put("model", "claude-test").put("max_tokens", 64)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", content)));
  }

  private static JsonObject bedrock(String content) {
    return new JsonObject().put("messages", new JsonArray().add(new JsonObject().put("role", "user")
        .put("content", new JsonArray().add(new JsonObject().put("text", content)))));
  }

  private HttpRequest<Buffer> anthropicPost() {
    return post("/v1/messages").putHeader("anthropic-version", "2023-06-01").putHeader("x-api-key", KEY);
  }

  private HttpRequest<Buffer> bedrockPost() {
    return post("/model/" + BEDROCK_MODEL + "/converse").putHeader("Authorization", SIGV4)
        .putHeader("X-Amz-Date", "20260101T000000Z");
  }

  private Future<HttpResponse<Buffer>> openAiCall(String content) {
    return post("/v1/chat/completions").sendJsonObject(openAi(content));
  }

  private Future<HttpResponse<Buffer>> azureCall(String content) {
    return post(AZURE + AZURE_VERSION).putHeader("api-key", KEY).sendJsonObject(openAi(content));
  }

  private Future<HttpResponse<Buffer>> anthropicCall(String content) {
    return anthropicPost().sendJsonObject(anthropic(content));
  }

  private Future<HttpResponse<Buffer>> bedrockCall(String content) {
    return bedrockPost().sendJsonObject(bedrock(content));
  }

  /** Runs the calls one after another, so the simulator sees them in this order. */
  @SafeVarargs
  private static Future<List<HttpResponse<Buffer>>> inOrder(Supplier<Future<HttpResponse<Buffer>>>... calls) {
    Future<List<HttpResponse<Buffer>>> chain = Future.succeededFuture(new ArrayList<>());
    for (Supplier<Future<HttpResponse<Buffer>>> call : calls) {
      chain = chain.compose(list -> call.get().map(response -> {
        list.add(response);
        return list;
      }));
    }
    return chain;
  }

  private static <T> void verify(VertxTestContext ctx, Future<T> future, ThrowingConsumer<T> checks) {
    future.onComplete(ctx.succeeding(value -> ctx.verify(() -> {
      checks.accept(value);
      ctx.completeNow();
    })));
  }

  private static List<Integer> statuses(List<HttpResponse<Buffer>> responses) {
    return responses.stream().map(HttpResponse::statusCode).toList();
  }

  private static JsonObject anthropicError(String type, String message) {
    return new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", type).put("message", message));
  }

  private static List<String> headerNames(HttpResponse<Buffer> response, String prefix) {
    return response.headers().names().stream().filter(name -> name.toLowerCase().startsWith(prefix)).toList();
  }

  @Test
  @DisplayName("Azure answers an OpenAI chat.completion whose model is the deployment, with x-ratelimit headers")
  void azureSuccess(Vertx vertx, VertxTestContext ctx) {
    JsonObject request = new JsonObject().put("max_tokens", 5) // no "model": Azure takes the deployment's
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hello Azure!")));
    verify(ctx, start(vertx, FAST.withRpm(10).withApiKey(KEY))
        .compose(s -> post(AZURE + AZURE_VERSION).putHeader("api-key", KEY).sendJsonObject(request)), response -> {
          assertEquals(200, response.statusCode());
          JsonObject body = response.bodyAsJsonObject();
          assertTrue(body.getString("id").matches("chatcmpl-\\d+"), body.getString("id"));
          assertEquals("chat.completion", body.getString("object"));
          assertEquals("my-gpt4o", body.getString("model"));
          assertEquals("Simulated answer to: Hello Azure!", body.getJsonArray("choices").getJsonObject(0)
              .getJsonObject("message").getString("content"));
          // "Hello Azure!" is 12 characters: 3 prompt tokens; max_tokens 5 caps the completion
          assertEquals(new JsonObject().put("prompt_tokens", 3).put("completion_tokens", 5).put("total_tokens", 8),
              body.getJsonObject("usage"));
          assertEquals("10", response.getHeader("x-ratelimit-limit-requests"));
          assertEquals("9", response.getHeader("x-ratelimit-remaining-requests"));
        });
  }

  @Test
  @DisplayName("Azure: no api-version is a bare 404, a bad body a 400 and a wrong api-key a 401, in Azure's shapes")
  void azureErrors(Vertx vertx, VertxTestContext ctx) {
    Future<List<HttpResponse<Buffer>>> calls = start(vertx, FAST.withApiKey(KEY)).compose(s -> inOrder(
        () -> post(AZURE).putHeader("api-key", KEY).sendJsonObject(openAi("hi")),
        () -> post(AZURE + AZURE_VERSION).putHeader("api-key", KEY).sendJsonObject(new JsonObject().put("x", 1)),
        () -> post(AZURE + AZURE_VERSION).putHeader("api-key", "wrong").sendJsonObject(openAi("hi")),
        () -> post(AZURE + AZURE_VERSION).putHeader("Authorization", "Bearer " + KEY).sendJsonObject(openAi("hi"))));
    verify(ctx, calls, responses -> {
      assertEquals(List.of(404, 400, 401, 401), statuses(responses));
      assertEquals(new JsonObject().put("error", new JsonObject().put("code", "404").put("message",
          "Resource not found")), responses.get(0).bodyAsJsonObject());
      JsonObject invalid = responses.get(1).bodyAsJsonObject().getJsonObject("error");
      assertEquals("invalid_request_error", invalid.getString("type"));
      assertTrue(invalid.getString("message").contains("messages"));
      JsonObject denied = responses.get(2).bodyAsJsonObject().getJsonObject("error");
      assertEquals("401", denied.getString("code"));
      assertTrue(denied.getString("message").startsWith("Access denied"));
      assertEquals(0, sim.stats().okCount());
    });
  }

  @Test
  @DisplayName("OpenAI with an apiKey wants 'Authorization: Bearer <key>' and answers 401 invalid_api_key otherwise")
  void openAiKey(Vertx vertx, VertxTestContext ctx) {
    Future<List<HttpResponse<Buffer>>> calls = start(vertx, FAST.withApiKey(KEY)).compose(s -> inOrder(
        () -> openAiCall("no key"),
        () -> post("/v1/chat/completions").putHeader("Authorization", "Bearer nope").sendJsonObject(openAi("x")),
        () -> post("/v1/chat/completions").putHeader("Authorization", "Bearer " + KEY).sendJsonObject(openAi("x"))));
    verify(ctx, calls, responses -> {
      assertEquals(List.of(401, 401, 200), statuses(responses));
      JsonObject error = responses.get(1).bodyAsJsonObject().getJsonObject("error");
      assertEquals("invalid_request_error", error.getString("type"));
      assertEquals("invalid_api_key", error.getString("code"));
      assertEquals(2, sim.stats().statusCount(401));
    });
  }

  @Test
  @DisplayName("Anthropic answers a message with exactly the documented shape, usage and request-id")
  void anthropicSuccess(Vertx vertx, VertxTestContext ctx) {
    JsonObject request = new JsonObject().put("model", "claude-test").put("max_tokens", 8)
        .put("system", new JsonArray().add(new JsonObject().put("type", "text").put("text", "Be brief.")))
        .put("temperature", 0.2).put("top_p", 0.9).put("top_k", 5).put("metadata", new JsonObject())
        .put("stop_sequences", new JsonArray().add("END"))
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", "Hi"))
            .add(new JsonObject().put("role", "assistant").put("content", "Hello."))
            .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "How are you?")))));
    verify(ctx, start(vertx, FAST.withApiKey(KEY)).compose(s -> anthropicPost().sendJsonObject(request)),
        response -> {
          assertEquals(200, response.statusCode());
          JsonObject body = response.bodyAsJsonObject();
          String id = (String) body.remove("id");
          assertTrue(id.matches("msg_sim_\\d+"), id);
          assertEquals("req_sim_" + id.substring("msg_sim_".length()), response.getHeader("request-id"));
          // 9 + 2 + 6 + 12 = 29 characters: 8 prompt tokens; max_tokens 8 caps the answer
          assertEquals(new JsonObject().put("type", "message").put("role", "assistant").put("model", "claude-test")
              .put("content", new JsonArray().add(new JsonObject().put("type", "text")
                  .put("text", "Simulated answer to: How are you?")))
              .put("stop_reason", "end_turn").putNull("stop_sequence")
              .put("usage", new JsonObject().put("input_tokens", 8).put("output_tokens", 8)), body);
        });
  }

  @Test
  @DisplayName("Anthropic: no anthropic-version, bad bodies and a wrong x-api-key get Anthropic error bodies")
  void anthropicErrors(Vertx vertx, VertxTestContext ctx) {
    JsonObject systemRole = anthropic("x");
    systemRole.getJsonArray("messages").add(new JsonObject().put("role", "system").put("content", "no"));
    Future<List<HttpResponse<Buffer>>> calls = start(vertx, FAST.withApiKey(KEY)).compose(s -> inOrder(
        () -> post("/v1/messages").putHeader("x-api-key", KEY).sendJsonObject(anthropic("hi")),
        () -> anthropicPost().sendJsonObject(new JsonObject().put("model", "claude-test")
            .put("messages", anthropic("hi").getJsonArray("messages"))),
        () -> anthropicPost().sendJsonObject(systemRole),
        () -> anthropicPost().sendJsonObject(anthropic("hi").put("maxTokens", 3)),
        () -> post("/v1/messages").putHeader("anthropic-version", "2023-06-01").putHeader("x-api-key", "wrong")
            .sendJsonObject(anthropic("hi"))));
    verify(ctx, calls, responses -> {
      assertEquals(List.of(400, 400, 400, 400, 401), statuses(responses));
      assertEquals(anthropicError("invalid_request_error", "anthropic-version: header is required"),
          responses.get(0).bodyAsJsonObject());
      for (HttpResponse<Buffer> invalid : responses.subList(1, 4)) {
        assertEquals("error", invalid.bodyAsJsonObject().getString("type"));
        assertEquals("invalid_request_error", invalid.bodyAsJsonObject().getJsonObject("error").getString("type"));
      }
      assertTrue(responses.get(1).bodyAsString().contains("max_tokens"));
      assertTrue(responses.get(2).bodyAsString().contains("messages.1.role"));
      assertTrue(responses.get(3).bodyAsString().contains("maxTokens: Extra inputs are not permitted"));
      assertEquals(anthropicError("authentication_error", "invalid x-api-key"), responses.get(4).bodyAsJsonObject());
    });
  }

  @Test
  @DisplayName("Anthropic: past the rpm limit a 429 rate_limit_error with retry-after and anthropic-ratelimit headers")
  void anthropicRateLimit(Vertx vertx, VertxTestContext ctx) {
    long before = System.currentTimeMillis();
    Future<List<HttpResponse<Buffer>>> calls = start(vertx, FAST.withRpm(2).withTpm(1000))
        .compose(s -> inOrder(() -> anthropicCall("one"), () -> anthropicCall("two"), () -> anthropicCall("three")));
    verify(ctx, calls, responses -> {
      assertEquals(List.of(200, 200, 429), statuses(responses));
      assertEquals("1", responses.get(0).getHeader("anthropic-ratelimit-requests-remaining"));
      HttpResponse<Buffer> limited = responses.get(2);
      assertEquals("rate_limit_error", limited.bodyAsJsonObject().getJsonObject("error").getString("type"));
      long retryAfter = Long.parseLong(limited.getHeader("retry-after"));
      assertTrue(retryAfter >= 1 && retryAfter <= 60, "retry-after " + retryAfter);
      assertNull(limited.getHeader("retry-after-ms"), "OpenAI's header is not Anthropic's");
      assertEquals("2", limited.getHeader("anthropic-ratelimit-requests-limit"));
      assertEquals("0", limited.getHeader("anthropic-ratelimit-requests-remaining"));
      assertEquals("1000", limited.getHeader("anthropic-ratelimit-tokens-limit"));
      assertEquals(String.valueOf(1000 - 2 * (1 + 64)), limited.getHeader("anthropic-ratelimit-tokens-remaining"));
      for (String reset : List.of("anthropic-ratelimit-requests-reset", "anthropic-ratelimit-tokens-reset")) {
        String value = limited.getHeader(reset);
        assertTrue(value.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"), reset + ": " + value);
        long at = Instant.parse(value).toEpochMilli();
        assertTrue(at >= before + 58_000 && at <= System.currentTimeMillis() + 61_000, reset + ": " + value);
      }
      assertTrue(headerNames(limited, "x-ratelimit").isEmpty(), "no OpenAI headers on Anthropic");
    });
  }

  @Test
  @DisplayName("Anthropic says 529 overloaded_error where the simulator would say 503")
  void anthropicOverloaded(Vertx vertx, VertxTestContext ctx) {
    verify(ctx, start(vertx, FAST).compose(s -> anthropicCall("busy? [[sim:status=503]]")), response -> {
      assertEquals(529, response.statusCode());
      assertEquals("overloaded_error", response.bodyAsJsonObject().getJsonObject("error").getString("type"));
      assertEquals(1, sim.stats().statusCount(529));
    });
  }

  @Test
  @DisplayName("Bedrock answers Converse with exactly the documented shape, usage, latency and x-amzn-RequestId")
  void bedrockSuccess(Vertx vertx, VertxTestContext ctx) {
    JsonObject request = bedrock("Hello Bedrock")
        .put("system", new JsonArray().add(new JsonObject().put("text", "Be kind.")))
        .put("inferenceConfig", new JsonObject().put("maxTokens", 100).put("temperature", 0.5).put("topP", 0.9)
            .put("stopSequences", new JsonArray().add("END")));
    verify(ctx, start(vertx, FAST.withApiKey(KEY)).compose(s -> bedrockPost().sendJsonObject(request)), response -> {
      assertEquals(200, response.statusCode());
      assertTrue(response.getHeader("x-amzn-RequestId").matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"));
      // 8 + 13 = 21 characters: 6 prompt tokens; the answer costs the simulator's 16; latency is the 5 ms set
      assertEquals(new JsonObject()
          .put("output", new JsonObject().put("message", new JsonObject().put("role", "assistant")
              .put("content", new JsonArray().add(new JsonObject().put("text", "Simulated answer to: Hello Bedrock")))))
          .put("stopReason", "end_turn")
          .put("usage", new JsonObject().put("inputTokens", 6).put("outputTokens", 16).put("totalTokens", 22))
          .put("metrics", new JsonObject().put("latencyMs", 5)), response.bodyAsJsonObject());
      assertTrue(headerNames(response, "x-ratelimit").isEmpty() && headerNames(response, "anthropic").isEmpty());
    });
  }

  @Test
  @DisplayName("Bedrock: no SigV4 headers is a 403 UnrecognizedClientException, a bad body a 400 ValidationException")
  void bedrockErrors(Vertx vertx, VertxTestContext ctx) {
    JsonObject stringContent = new JsonObject().put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "not a list")));
    Future<List<HttpResponse<Buffer>>> calls = start(vertx, FAST).compose(s -> inOrder(
        () -> post("/model/" + BEDROCK_MODEL + "/converse").sendJsonObject(bedrock("hi")),
        () -> post("/model/" + BEDROCK_MODEL + "/converse").putHeader("Authorization", SIGV4)
            .sendJsonObject(bedrock("hi")),
        () -> bedrockPost().sendJsonObject(stringContent),
        () -> bedrockPost().sendJsonObject(bedrock("hi").put("inferenceConfig", new JsonObject().put("maxTokens", 0))),
        () -> bedrockCall("slow [[sim:status=504]]")));
    verify(ctx, calls, responses -> {
      assertEquals(List.of(403, 403, 400, 400, 408), statuses(responses));
      assertEquals("UnrecognizedClientException", responses.get(0).getHeader("x-amzn-ErrorType"));
      assertEquals(new JsonObject().put("message", "The security token included in the request is invalid."),
          responses.get(0).bodyAsJsonObject());
      for (HttpResponse<Buffer> invalid : responses.subList(2, 4)) {
        assertEquals("ValidationException", invalid.getHeader("x-amzn-ErrorType"));
        assertEquals(List.of("message"), List.copyOf(invalid.bodyAsJsonObject().fieldNames()));
      }
      assertTrue(responses.get(3).bodyAsString().contains("inferenceConfig.maxTokens"));
      assertEquals("ModelTimeoutException", responses.get(4).getHeader("x-amzn-ErrorType"));
    });
  }

  @Test
  @DisplayName("Bedrock: past the rpm limit a 429 ThrottlingException, with no rate-limit or retry headers")
  void bedrockThrottled(Vertx vertx, VertxTestContext ctx) {
    Future<List<HttpResponse<Buffer>>> calls = start(vertx, FAST.withRpm(1))
        .compose(s -> inOrder(() -> bedrockCall("one"), () -> bedrockCall("two")));
    verify(ctx, calls, responses -> {
      assertEquals(List.of(200, 429), statuses(responses));
      HttpResponse<Buffer> throttled = responses.get(1);
      assertEquals("ThrottlingException", throttled.getHeader("x-amzn-ErrorType"));
      assertNotNull(throttled.bodyAsJsonObject().getString("message"));
      assertNull(throttled.getHeader("Retry-After"));
      assertTrue(headerNames(throttled, "x-ratelimit").isEmpty());
    });
  }

  @Test
  @DisplayName("one rpm limit holds across dialects: OpenAI and Anthropic use it up, Azure and Bedrock get 429s")
  void sharedLimit(Vertx vertx, VertxTestContext ctx) {
    Future<List<HttpResponse<Buffer>>> calls = start(vertx, FAST.withRpm(2)).compose(s -> inOrder(
        () -> openAiCall("one"), () -> anthropicCall("two"), () -> azureCall("three"), () -> bedrockCall("four")));
    verify(ctx, calls, responses -> {
      assertEquals(List.of(200, 200, 429, 429), statuses(responses));
      assertEquals("0", responses.get(1).getHeader("anthropic-ratelimit-requests-remaining"));
      assertEquals("0", responses.get(2).getHeader("x-ratelimit-remaining-requests"));
      assertEquals(4, sim.stats().requests());
      assertEquals(2, sim.stats().statusCount(429));
    });
  }

  @Test
  @DisplayName("rateHeaders=false leaves out every rate-limit header but still sends Retry-After on a 429")
  void noRateHeaders(Vertx vertx, VertxTestContext ctx) {
    Future<List<HttpResponse<Buffer>>> calls = start(vertx, FAST.withRpm(1).withRateHeaders(false))
        .compose(s -> inOrder(() -> openAiCall("one"), () -> openAiCall("two"), () -> anthropicCall("three")));
    verify(ctx, calls, responses -> {
      assertEquals(List.of(200, 429, 429), statuses(responses));
      for (HttpResponse<Buffer> response : responses) {
        assertTrue(headerNames(response, "x-ratelimit").isEmpty(), response.headers().names().toString());
        assertTrue(headerNames(response, "anthropic-ratelimit").isEmpty(), response.headers().names().toString());
      }
      assertNotNull(responses.get(1).getHeader("Retry-After"));
      assertNotNull(responses.get(2).getHeader("retry-after"));
    });
  }

  @Test
  @DisplayName("setFaults turns 500s on for the next requests and off again")
  void runtimeFaults(Vertx vertx, VertxTestContext ctx) {
    Future<List<HttpResponse<Buffer>>> calls = start(vertx, FAST).compose(s -> inOrder(
        () -> anthropicCall("before"),
        () -> {
          sim.setFaults(new FaultRates(0, 1, 0, 0));
          return anthropicCall("during");
        },
        () -> bedrockCall("during too"),
        () -> {
          sim.setFaults(FaultRates.NONE);
          return anthropicCall("after");
        }));
    verify(ctx, calls, responses -> {
      assertEquals(List.of(200, 500, 500, 200), statuses(responses));
      assertEquals("api_error", responses.get(1).bodyAsJsonObject().getJsonObject("error").getString("type"));
      assertEquals("InternalServerException", responses.get(2).getHeader("x-amzn-ErrorType"));
    });
  }

  @Test
  @DisplayName("recording keeps the raw path, decoded path params, query, headers and body of each request")
  void recording(Vertx vertx, VertxTestContext ctx) {
    long before = System.currentTimeMillis();
    JsonObject azureBody = openAi("record me");
    Future<List<HttpResponse<Buffer>>> calls = start(vertx, FAST).compose(s -> inOrder(
        () -> post(AZURE + AZURE_VERSION).putHeader("api-key", "k1").putHeader("X-Client-Request-Id", "task-7")
            .sendJsonObject(azureBody),
        () -> bedrockCall("and me")));
    verify(ctx, calls, responses -> {
      assertEquals(List.of(200, 200), statuses(responses));
      List<RecordedRequest> recorded = sim.requests();
      assertEquals(2, recorded.size());
      RecordedRequest azure = recorded.get(0);
      assertEquals("POST", azure.method());
      assertEquals(AZURE, azure.path());
      assertEquals(Map.of("deployment", "my-gpt4o"), azure.pathParams());
      assertEquals("api-version=2024-10-21", azure.query());
      assertEquals("k1", azure.headers().get("API-KEY"), "headers are case-insensitive");
      assertEquals("task-7", azure.headers().get("x-client-request-id"));
      assertEquals(azureBody, new JsonObject(azure.body()));
      assertTrue(azure.arrivedAtMs() >= before && azure.arrivedAtMs() <= System.currentTimeMillis());
      RecordedRequest converse = recorded.get(1);
      assertEquals("/model/" + BEDROCK_MODEL + "/converse", converse.path(), "as the client encoded it");
      assertEquals("anthropic.claude-3-haiku-20240307-v1:0", converse.pathParams().get("modelId"));
      assertEquals("", converse.query());
      assertEquals(SIGV4, converse.headers().get("authorization"));
      sim.clearRequests();
      assertTrue(sim.requests().isEmpty());
    });
  }

  @Test
  @DisplayName("apiKey and rateHeaders survive the options' JSON round trip and default to off and on")
  void optionsRoundTrip() {
    SimulatorOptions options = SimulatorOptions.defaults().withApiKey(KEY).withRateHeaders(false);
    assertEquals(options, SimulatorOptions.fromJson(options.toJson()));
    assertEquals("", SimulatorOptions.defaults().apiKey());
    assertTrue(SimulatorOptions.fromJson(new JsonObject()).rateHeaders());
  }
}
