package dev.llmworker.provider;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.task.Task;
import dev.llmworker.task.TaskDecoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * OpenAI-compatible chat completions (OpenAI, vLLM, Ollama, llama.cpp server, LiteLLM, ...). The URL is
 * always {@code baseUrl + /chat/completions}; a task chooses only the body.
 */
public final class OpenAiProvider implements LlmProvider {
  private final String name;
  private final WebClient client;
  private final HttpRequest<Buffer> template;

  public OpenAiProvider(Vertx vertx, LlmwConfig.Provider config, int maxConnections) {
    this.name = config.name();
    WebClientOptions options = new WebClientOptions()
        .setConnectTimeout(config.connectTimeoutSeconds() * 1000)
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setUserAgent("llm-worker");
    this.client = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(maxConnections));
    this.template = client.postAbs(config.baseUrl() + "/chat/completions")
        .timeout(config.requestTimeoutSeconds() * 1000L)
        .putHeader("Content-Type", "application/json");
    String apiKey = System.getenv(config.apiKeyEnv().isEmpty() ? "LLMW_UNSET" : config.apiKeyEnv());
    if (apiKey != null && !apiKey.isBlank()) {
      template.putHeader("Authorization", "Bearer " + apiKey.trim());
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<ProviderReply> complete(Task task) {
    long start = System.nanoTime();
    return template.copy()
        .putHeader("X-Client-Request-Id", task.customId())
        .sendBuffer(task.body().toBuffer())
        .recover(e -> Future.failedFuture(new ProviderFailure(ProviderFailure.Kind.TRANSIENT, 0, -1,
            "no answer from " + name + ": " + TaskDecoder.clip(e.getMessage()))))
        .compose(response -> classify(response, (System.nanoTime() - start) / 1_000_000));
  }

  private Future<ProviderReply> classify(HttpResponse<Buffer> response, long latencyMs) {
    int status = response.statusCode();
    if (status / 100 != 2) {
      return Future.failedFuture(ProviderFailure.forStatus(status, RetryAfter.parseMs(response.headers()),
          name + " answered " + status + ": " + errorText(response.bodyAsString())));
    }
    try {
      JsonObject body = response.bodyAsJsonObject();
      if (body == null) {
        throw new IllegalArgumentException("empty body");
      }
      return Future.succeededFuture(new ProviderReply(status, response.getHeader("x-request-id"), body, latencyMs));
    } catch (RuntimeException e) {
      return Future.failedFuture(new ProviderFailure(ProviderFailure.Kind.TRANSIENT, status, -1,
          name + " answered " + status + " with a body that is not a JSON object"));
    }
  }

  /** The provider's own error message when it sent one (OpenAI: {"error":{"message":...}}), clipped. */
  private static String errorText(String body) {
    if (body == null || body.isBlank()) {
      return "(no body)";
    }
    try {
      JsonObject error = new JsonObject(body).getJsonObject("error");
      if (error != null && error.getString("message") != null) {
        return TaskDecoder.clip(error.getString("message"));
      }
    } catch (RuntimeException ignored) {
      // not JSON: fall through to the raw text
    }
    return TaskDecoder.clip(body);
  }

  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }
}
