package dev.llmworker.provider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.Embeddings;
import dev.llmworker.sim.RecordedRequest;
import dev.llmworker.task.Endpoint;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.TestConfig;
import dev.llmworker.task.Task;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every provider keeps, checked over real HTTP against the simulator speaking that provider's wire
 * format: the request as the provider documents it, the answer mapped to an OpenAI chat completion, and errors
 * classified (400/401/404 permanent; 408/409/5xx transient; 429 throttled with Retry-After honoured).
 */
abstract class ProviderContractTest {
  static final String KEY = "sk-contract-test-key";
  static final String KEY_ENV = "LLMW_TEST_API_KEY";

  protected Vertx vertx;
  protected LlmSimulator sim;

  /** The provider's type and any extra keys of its config. */
  abstract JsonObject providerConfig(String baseUrl);

  /** Checks the one recorded request of {@link #answersLikeOpenAi()} against the provider's documentation. */
  abstract void checkRequest(RecordedRequest request);

  /** Whether the provider sends rate-limit headers (Bedrock does not). */
  boolean sendsRateHeaders() {
    return true;
  }

  /** Whether a 429 from this provider carries Retry-After (Bedrock's does not). */
  boolean sendsRetryAfter() {
    return true;
  }

  /** The simulator's base URL as this provider's config wants it. */
  String baseUrl() {
    return "http://127.0.0.1:" + sim.port();
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    sim = SqsFixture.await(LlmSimulator.start(vertx, SimulatorOptions.defaults().withLatencyMs(1).withPort(0)
        .withApiKey(KEY).withRpm(6000)));
  }

  @AfterEach
  void stop() {
    SqsFixture.await(vertx.close());
  }

  LlmProvider provider(String keyEnv) {
    JsonObject p = providerConfig(baseUrl()).put("apiKeyEnv", keyEnv).put("requestTimeoutSeconds", 5);
    LlmwConfig config = TestConfig.with(new JsonObject().put("provider", p));
    return ProviderFactory.create(vertx, config.provider(), 4);
  }

  static Task task(String customId, String userText) {
    return task(customId, userText, "model-a");
  }

  static Task task(String customId, String userText, String model) {
    JsonObject body = new JsonObject()
        .put("model", model)
        .put("max_tokens", 20)
        .put("temperature", 0.3)
        .put("stop", new JsonArray().add("END"))
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", "Be brief."))
            .add(new JsonObject().put("role", "user").put("content", userText)));
    return new Task(customId, "POST", "/v1/chat/completions", body, null);
  }

  private ProviderFailure failure(String directive) {
    Throwable error = SqsFixture.awaitFailure(provider(KEY_ENV).complete(task("f-1", "fail " + directive)));
    return assertInstanceOf(ProviderFailure.class, error, String.valueOf(error));
  }

  @Test
  @DisplayName("a task becomes the provider's documented request, and the answer comes back as an OpenAI chat "
      + "completion with usage, request id and rate-limit headers")
  void answersLikeOpenAi() {
    ProviderReply reply = SqsFixture.await(provider(KEY_ENV).complete(task("ok-1", "Hello there")));
    JsonObject body = reply.body();
    assertEquals("chat.completion", body.getString("object"), body.encode());
    JsonObject message = body.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertEquals("assistant", message.getString("role"));
    assertTrue(message.getString("content").startsWith("Simulated answer to: Hello there"), body.encode());
    assertTrue(reply.usage().promptTokens() > 0 && reply.usage().completionTokens() > 0, body.encode());
    assertEquals(reply.usage().promptTokens(), body.getJsonObject("usage").getLong("prompt_tokens"));
    assertNotNull(reply.requestId(), "request id");
    if (sendsRateHeaders()) {
      assertEquals(6000, reply.rateHeaders().limitRequests(), "the provider's limit header was read");
    }
    List<RecordedRequest> requests = sim.requests();
    assertEquals(1, requests.size());
    RecordedRequest request = requests.get(0);
    assertEquals("ok-1", request.headers().get("X-Client-Request-Id"));
    checkRequest(request);
  }

  /** A Responses API task: instructions, one user message of input_text parts, max_output_tokens. */
  static Task responsesTask(String customId, String userText) {
    JsonObject body = new JsonObject()
        .put("model", "model-a")
        .put("instructions", "Be brief.")
        .put("max_output_tokens", 20)
        .put("input", new JsonArray().add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "input_text").put("text", userText)))));
    return new Task(customId, "POST", "/v1/responses", body, null);
  }

  @Test
  @DisplayName("a Responses API task comes back as a Response object: one output message of output_text, "
      + "input/output token usage")
  void answersResponses() {
    ProviderReply reply = SqsFixture.await(provider(KEY_ENV).complete(responsesTask("resp-1", "Hello there")));
    JsonObject body = reply.body();
    assertEquals("response", body.getString("object"), body.encode());
    assertEquals("completed", body.getString("status"), body.encode());
    assertTrue(body.getString("id").startsWith("resp"), body.encode());
    JsonObject message = body.getJsonArray("output").getJsonObject(0);
    assertEquals("message", message.getString("type"), body.encode());
    assertEquals("assistant", message.getString("role"), body.encode());
    JsonObject part = message.getJsonArray("content").getJsonObject(0);
    assertEquals("output_text", part.getString("type"), body.encode());
    assertTrue(part.getString("text").contains("Hello there"), body.encode());
    assertTrue(body.getJsonObject("usage").getLong("input_tokens") > 0, body.encode());
    assertEquals(body.getJsonObject("usage").getLong("input_tokens"), reply.usage().promptTokens());
    assertEquals(body.getJsonObject("usage").getLong("output_tokens"), reply.usage().completionTokens());
    assertEquals(1, sim.requests().size());
  }

  /** The embedding model this provider's contract test asks for (a Bedrock model id for Bedrock). */
  String embeddingModel() {
    return "text-embedding-3-small";
  }

  private Set<Endpoint> served() {
    return ProviderRoutes.served(provider(KEY_ENV).config().type());
  }

  @Test
  @DisplayName("embeddings, where the type serves them: two inputs give two vectors in OpenAI's shape, each the "
      + "simulator's vector for its input, with input-only usage; base64 when asked")
  void answersEmbeddings() {
    if (!served().contains(Endpoint.EMBEDDINGS)) {
      assertTrue(provider(KEY_ENV).config().type().equals("anthropic"), "only anthropic lacks embeddings");
      return;
    }
    for (boolean base64 : new boolean[] {false, true}) {
      JsonObject body = new JsonObject().put("model", embeddingModel())
          .put("input", new JsonArray().add("alpha").add("beta"));
      if (base64) {
        body.put("encoding_format", "base64");
      }
      ProviderReply reply = SqsFixture.await(provider(KEY_ENV).complete(new Task("emb-" + base64, "POST",
          "/v1/embeddings", body, null)));
      JsonObject answer = reply.body();
      assertEquals("list", answer.getString("object"), answer.encode());
      JsonArray data = answer.getJsonArray("data");
      assertEquals(2, data.size(), answer.encode());
      int dims = Embeddings.defaultDimensions(embeddingModel());
      for (int i = 0; i < 2; i++) {
        String text = i == 0 ? "alpha" : "beta";
        Object embedding = data.getJsonObject(i).getValue("embedding");
        float[] got = base64 ? Embeddings.fromBase64((String) embedding) : floats((JsonArray) embedding);
        assertArrayEquals(Embeddings.vector(embeddingModel(), text, dims), got, text + " base64=" + base64);
      }
      assertTrue(reply.usage().promptTokens() > 0, answer.encode());
      assertEquals(0, reply.usage().completionTokens());
      assertEquals(reply.usage().promptTokens(), answer.getJsonObject("usage").getLong("prompt_tokens"));
    }
  }

  @Test
  @DisplayName("text completions and moderations, where the type serves them, come back in OpenAI's shape")
  void answersCompletionsAndModerations() {
    if (served().contains(Endpoint.COMPLETIONS)) {
      ProviderReply reply = SqsFixture.await(provider(KEY_ENV).complete(new Task("cmpl-1", "POST",
          "/v1/completions", new JsonObject().put("model", "model-a").put("prompt", "Once upon").put("max_tokens", 8),
          null)));
      assertEquals("text_completion", reply.body().getString("object"), reply.body().encode());
      assertTrue(reply.usage().promptTokens() > 0 && reply.usage().completionTokens() > 0, reply.body().encode());
    }
    if (served().contains(Endpoint.MODERATIONS)) {
      ProviderReply reply = SqsFixture.await(provider(KEY_ENV).complete(new Task("mod-1", "POST",
          "/v1/moderations", new JsonObject().put("model", "omni-moderation-latest").put("input",
              new JsonArray().add("fine").add("bad [[flag]]")), null)));
      JsonArray results = reply.body().getJsonArray("results");
      assertEquals(List.of(false, true), results.stream().map(r -> ((JsonObject) r).getBoolean("flagged")).toList(),
          reply.body().encode());
    }
  }

  private static float[] floats(JsonArray array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) array.getValue(i)).floatValue();
    }
    return out;
  }

  @Test
  @DisplayName("400, a missing key (401) and 404 are permanent")
  void permanentErrors() {
    assertEquals(ProviderFailure.Kind.PERMANENT, failure("[[sim:status=400]]").kind());
    assertEquals(ProviderFailure.Kind.PERMANENT, failure("[[sim:status=404]]").kind());
    Throwable noKey = SqsFixture.awaitFailure(provider("").complete(task("k-1", "no key")));
    ProviderFailure f = assertInstanceOf(ProviderFailure.class, noKey);
    assertEquals(ProviderFailure.Kind.PERMANENT, f.kind(), f.getMessage());
    assertTrue(f.statusCode() == 401 || f.statusCode() == 403, f.getMessage());
    assertTrue(!f.getMessage().contains(KEY), "the key never shows in an error");
  }

  @Test
  @DisplayName("408, 409, 500 and 503 are transient; the provider's own error message is kept")
  void transientErrors() {
    for (int status : new int[] {408, 409, 500, 503}) {
      ProviderFailure f = failure("[[sim:status=" + status + "]]");
      assertEquals(ProviderFailure.Kind.TRANSIENT, f.kind(), status + ": " + f.getMessage());
      assertTrue(f.getMessage().toLowerCase().contains("simulated"), "the provider's message is kept: " + f.getMessage());
    }
  }

  @Test
  @DisplayName("429 is throttling, with the provider's Retry-After as the delay")
  void rateLimited() {
    ProviderFailure f = failure("[[sim:status=429]] [[sim:retry_after=7]]");
    assertEquals(ProviderFailure.Kind.RATE_LIMITED, f.kind(), f.getMessage());
    if (sendsRetryAfter()) {
      assertEquals(7000, f.retryAfterMs());
    }
  }

  @Test
  @DisplayName("a model named \"\", \".\" or \"..\" is refused as bad_model before any call: it could never be served, "
      + "and in a URL path it would step out of the deployment or model segment")
  void dotModelsRefused() {
    for (String model : new String[] {"..", ".", ""}) {
      Throwable error = SqsFixture.awaitFailure(provider(KEY_ENV).complete(task("dots", "Hello", model)));
      ProviderFailure f = assertInstanceOf(ProviderFailure.class, error, model + ": " + error);
      assertEquals("bad_model", f.code(), model + ": " + f.getMessage());
      assertEquals(ProviderFailure.Kind.PERMANENT, f.kind());
      assertTrue(f.getMessage().contains("\"" + model + "\""), f.getMessage());
    }
    assertEquals(List.of(), sim.requests(), "no request reached the provider");
  }

  @Test
  @DisplayName("the custom_id goes into X-Client-Request-Id as it is when it is printable ASCII, percent-encoded "
      + "(UTF-8) otherwise: no id can make the request unbuildable")
  void clientRequestIdNeverBreaksTheRequest() {
    String id = "tab\there\nnew 你好\u007f\u0085 50%";
    ProviderReply reply = SqsFixture.await(provider(KEY_ENV).complete(task(id, "Hello there")));
    assertEquals(200, reply.statusCode());
    SqsFixture.await(provider(KEY_ENV).complete(task("plain id, 50% ~!", "Hello there")));
    List<RecordedRequest> requests = sim.requests();
    assertEquals("tab%09here%0Anew%20%E4%BD%A0%E5%A5%BD%7F%C2%85%2050%25",
        requests.get(0).headers().get("X-Client-Request-Id"));
    assertEquals("plain id, 50% ~!", requests.get(1).headers().get("X-Client-Request-Id"));
  }
}
