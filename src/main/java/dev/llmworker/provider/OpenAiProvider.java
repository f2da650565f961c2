package dev.llmworker.provider;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.task.Endpoint;
import dev.llmworker.task.ResultLine.Usage;
import dev.llmworker.task.Task;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;

/**
 * OpenAI and OpenAI-compatible servers (vLLM, Ollama, llama.cpp server, LiteLLM, Groq, Together, OpenRouter, ...):
 * every endpoint, at {@code baseUrl} + its path ({@code /chat/completions}, {@code /responses},
 * {@code /embeddings}, {@code /completions}, {@code /moderations}); the body goes as it is.
 */
public class OpenAiProvider extends HttpProvider {
  public OpenAiProvider(Vertx vertx, LlmwConfig.Provider config, int defaultConnections) {
    super(vertx, config, defaultConnections);
  }

  @Override
  String url(String model, Endpoint endpoint) {
    return config.baseUrl() + endpoint.path();
  }

  @Override
  void staticHeaders(HttpRequest<Buffer> template) {
    String key = ApiKey.fromEnv(config.apiKeyEnv());
    if (key != null) {
      template.putHeader("Authorization", "Bearer " + key);
    }
    if (!config.organization().isEmpty()) {
      template.putHeader("OpenAI-Organization", config.organization());
    }
    if (!config.project().isEmpty()) {
      template.putHeader("OpenAI-Project", config.project());
    }
  }

  /** The task's body as it is, but for the model name when {@code modelMap} renames it. */
  @Override
  JsonObject requestBody(Task task, String model) {
    return model.equals(task.model()) ? task.body() : task.body().copy().put("model", model);
  }

  @Override
  JsonObject toOpenAi(JsonObject raw, Task task, String model, String requestId, Usage usage) {
    return raw;
  }

  @Override
  Usage usage(JsonObject raw, MultiMap headers) {
    return Usage.from(raw);
  }

  @Override
  RateHeaders rateHeaders(MultiMap headers) {
    return RateHeaders.openAi(headers);
  }

  /** OpenAI: {"error":{"message":...}}. */
  @Override
  String errorMessage(JsonObject body, MultiMap headers) {
    Object error = body.getValue("error");
    if (error instanceof JsonObject object) {
      return object.getString("message");
    }
    return error instanceof String text ? text : null;
  }
}
