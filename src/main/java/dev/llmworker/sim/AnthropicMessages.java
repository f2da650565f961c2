package dev.llmworker.sim;

import dev.llmworker.task.Endpoint;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Anthropic's {@code POST /v1/messages}; the body rules are in {@link AnthropicRequest}. */
final class AnthropicMessages implements Operation<ChatRequest> {
  @Override
  public Endpoint endpoint() {
    return Endpoint.CHAT;
  }

  @Override
  public ChatRequest parse(Buffer body, String routeModel) {
    return AnthropicRequest.parse(body);
  }

  @Override
  public JsonObject answer(ChatRequest request, String tag, long latencyMs) {
    return new JsonObject()
        .put("id", "msg_sim_" + tag)
        .put("type", "message")
        .put("role", "assistant")
        .put("model", request.model())
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", request.answer())))
        .put("stop_reason", "end_turn")
        .putNull("stop_sequence")
        .put("usage", new JsonObject()
            .put("input_tokens", request.promptTokens())
            .put("output_tokens", request.completionTokens()));
  }
}
