package dev.llmworker.sim;

import dev.llmworker.task.Endpoint;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Bedrock's {@code POST /model/{modelId}/converse}; the body rules are in {@link BedrockRequest}. */
final class BedrockConverse implements Operation<ChatRequest> {
  @Override
  public Endpoint endpoint() {
    return Endpoint.CHAT;
  }

  @Override
  public ChatRequest parse(Buffer body, String modelId) {
    return BedrockRequest.parse(body, modelId);
  }

  @Override
  public JsonObject answer(ChatRequest request, String tag, long latencyMs) {
    JsonObject message = new JsonObject().put("role", "assistant")
        .put("content", new JsonArray().add(new JsonObject().put("text", request.answer())));
    return new JsonObject()
        .put("output", new JsonObject().put("message", message))
        .put("stopReason", "end_turn")
        .put("usage", new JsonObject()
            .put("inputTokens", request.promptTokens())
            .put("outputTokens", request.completionTokens())
            .put("totalTokens", request.promptTokens() + request.completionTokens()))
        .put("metrics", new JsonObject().put("latencyMs", latencyMs));
  }
}
