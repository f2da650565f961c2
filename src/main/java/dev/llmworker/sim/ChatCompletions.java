package dev.llmworker.sim;

import dev.llmworker.task.Endpoint;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** OpenAI's chat completions body ({@code /v1/chat/completions}, and Azure's on a deployment). */
final class ChatCompletions implements Operation<ChatRequest> {
  @Override
  public Endpoint endpoint() {
    return Endpoint.CHAT;
  }

  @Override
  public ChatRequest parse(Buffer body, String routeModel) {
    ChatRequest request = ChatRequest.parse(body);
    return routeModel == null ? request : request.withModel(routeModel);
  }

  @Override
  public JsonObject answer(ChatRequest request, String tag, long latencyMs) {
    JsonObject usage = new JsonObject()
        .put("prompt_tokens", request.promptTokens())
        .put("completion_tokens", request.completionTokens())
        .put("total_tokens", request.promptTokens() + request.completionTokens());
    JsonObject choice = new JsonObject()
        .put("index", 0)
        .put("message", new JsonObject().put("role", "assistant").put("content", request.answer()))
        .put("finish_reason", "stop");
    return new JsonObject()
        .put("id", "chatcmpl-" + tag)
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", request.model())
        .put("choices", new JsonArray().add(choice))
        .put("usage", usage);
  }
}
