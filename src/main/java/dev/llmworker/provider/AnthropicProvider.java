package dev.llmworker.provider;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.task.Endpoint;
import dev.llmworker.task.ResultLine.Usage;
import dev.llmworker.task.Task;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;

/**
 * Anthropic Messages API ({@code POST /v1/messages}). OpenAI-format tasks are translated: system messages become
 * {@code system}, {@code stop} becomes {@code stop_sequences}; the answer comes back as an OpenAI chat.completion.
 */
public final class AnthropicProvider extends HttpProvider {
  /** Anthropic requires max_tokens; tasks written for OpenAI often leave it out. */
  static final long DEFAULT_MAX_TOKENS = 4096;

  public AnthropicProvider(Vertx vertx, LlmwConfig.Provider config, int defaultConnections) {
    super(vertx, config, defaultConnections);
  }

  @Override
  String url(String model, Endpoint endpoint) {
    return config.baseUrl() + "/v1/messages";
  }

  @Override
  void staticHeaders(HttpRequest<Buffer> template) {
    template.putHeader("anthropic-version", config.apiVersion());
    String key = ApiKey.fromEnv(config.apiKeyEnv());
    if (key != null) {
      template.putHeader("x-api-key", key);
    }
  }

  @Override
  JsonObject requestBody(Task task, String model) {
    ChatBody chat = ChatBody.read(task);
    JsonArray messages = new JsonArray();
    chat.turns().forEach(t -> messages.add(new JsonObject().put("role", t.role()).put("content", t.text())));
    JsonObject body = new JsonObject()
        .put("model", model)
        .put("max_tokens", chat.maxTokens() != null ? chat.maxTokens() : DEFAULT_MAX_TOKENS)
        .put("messages", messages);
    if (!chat.system().isEmpty()) {
      body.put("system", chat.system());
    }
    if (chat.temperature() != null) {
      body.put("temperature", chat.temperature());
    }
    if (chat.topP() != null) {
      body.put("top_p", chat.topP());
    }
    if (!chat.stop().isEmpty()) {
      body.put("stop_sequences", new JsonArray(chat.stop()));
    }
    if (task.body().getValue("user") instanceof String user) {
      body.put("metadata", new JsonObject().put("user_id", user));
    }
    return body;
  }

  @Override
  JsonObject toOpenAi(JsonObject raw, Task task, String model, String requestId, Usage usage) {
    StringBuilder text = new StringBuilder();
    JsonArray content = raw.getJsonArray("content", new JsonArray());
    for (Object block : content) {
      if (block instanceof JsonObject b && "text".equals(b.getString("type"))) {
        text.append(b.getString("text", ""));
      }
    }
    return ChatBody.answer(task.endpoint(), raw.getString("id", requestId), raw.getString("model", model), text.toString(),
        ChatBody.finishReason(raw.getString("stop_reason")), usage.promptTokens(), usage.completionTokens());
  }

  /** Cached prompt tokens are prompt tokens too. */
  @Override
  Usage usage(JsonObject raw, MultiMap headers) {
    JsonObject usage = raw.getJsonObject("usage");
    if (usage == null) {
      return Usage.NONE;
    }
    long input = usage.getLong("input_tokens", 0L) + usage.getLong("cache_creation_input_tokens", 0L)
        + usage.getLong("cache_read_input_tokens", 0L);
    return new Usage(input, usage.getLong("output_tokens", 0L));
  }

  @Override
  RateHeaders rateHeaders(MultiMap headers) {
    return RateHeaders.anthropic(headers);
  }

  @Override
  String requestId(HttpResponse<Buffer> response) {
    return response.getHeader("request-id");
  }

  /** Anthropic: {"type":"error","error":{"type":"rate_limit_error","message":...}}. */
  @Override
  String errorMessage(JsonObject body, MultiMap headers) {
    JsonObject error = body.getJsonObject("error");
    if (error == null) {
      return null;
    }
    String type = error.getString("type");
    return (type != null ? type + ": " : "") + error.getString("message", "");
  }
}
