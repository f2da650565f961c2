package dev.llmworker.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Reads an Anthropic Messages body as strictly as Anthropic does, so a client that sends a wrong shape fails its
 * contract test here rather than in production. Messages follow Anthropic's "field: problem" style.
 */
final class AnthropicRequest {
  /** Anthropic rejects unknown top-level fields; these are the ones it knows (the tool fields are ignored here). */
  static final Set<String> KNOWN = Set.of("model", "max_tokens", "messages", "system", "temperature", "top_p",
      "top_k", "stop_sequences", "metadata", "stream", "tools", "tool_choice", "thinking", "service_tier");

  private AnthropicRequest() {}

  static ChatRequest parse(Buffer body) {
    JsonObject json = ChatRequest.object(body, "There was an issue with the formatting of your request: the body "
        + "must be a JSON object.");
    for (String key : json.fieldNames()) {
      if (!KNOWN.contains(key)) {
        throw bad(key + ": Extra inputs are not permitted");
      }
    }
    if (!(json.getValue("model") instanceof String model) || model.isBlank()) {
      throw bad("model: Field required (a non-empty string)");
    }
    Object maxTokens = json.getValue("max_tokens");
    if (!(maxTokens instanceof Integer || maxTokens instanceof Long) || ((Number) maxTokens).longValue() < 1) {
      throw bad("max_tokens: Field required (an integer of 1 or more), got " + maxTokens);
    }
    checkOptional(json);
    ChatRequest.Tally tally = new ChatRequest.Tally();
    Object system = json.getValue("system");
    if (system != null) {
      tally.add("system", text(system, "system"));
    }
    if (!(json.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
      throw bad("messages: Field required (a non-empty list)");
    }
    for (int i = 0; i < messages.size(); i++) {
      String at = "messages." + i;
      if (!(messages.getValue(i) instanceof JsonObject message)) {
        throw bad(at + ": Input should be an object");
      }
      Object role = message.getValue("role");
      if (!"user".equals(role) && !"assistant".equals(role)) {
        throw bad(at + ".role: Input should be 'user' or 'assistant', got " + role
            + " (the system prompt goes in the top-level 'system' field)");
      }
      tally.add((String) role, text(message.getValue("content"), at + ".content"));
    }
    return tally.request(model, ((Number) maxTokens).longValue());
  }

  private static void checkOptional(JsonObject json) {
    number(json, "temperature", 0, 1);
    number(json, "top_p", 0, 1);
    Object topK = json.getValue("top_k");
    if (topK != null && !((topK instanceof Integer || topK instanceof Long) && ((Number) topK).longValue() >= 0)) {
      throw bad("top_k: Input should be an integer of 0 or more, got " + topK);
    }
    Object stops = json.getValue("stop_sequences");
    if (stops != null && !(stops instanceof JsonArray list && list.stream().allMatch(s -> s instanceof String))) {
      throw bad("stop_sequences: Input should be a list of strings");
    }
    Object metadata = json.getValue("metadata");
    if (metadata != null && !(metadata instanceof JsonObject)) {
      throw bad("metadata: Input should be an object");
    }
    Object stream = json.getValue("stream");
    if (stream != null && !Boolean.FALSE.equals(stream)) {
      throw bad("stream: the simulator answers whole messages only; send stream=false or leave it out");
    }
  }

  private static void number(JsonObject json, String field, double min, double max) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof Number n && n.doubleValue() >= min && n.doubleValue() <= max)) {
      throw bad(field + ": Input should be a number between " + min + " and " + max + ", got " + value);
    }
  }

  /** A string, or a list of {"type":"text","text":...} blocks (the only kind the simulator reads). */
  private static String text(Object content, String at) {
    if (content instanceof String text) {
      return text;
    }
    if (!(content instanceof JsonArray blocks)) {
      throw bad(at + ": Input should be a string or a list of content blocks");
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < blocks.size(); i++) {
      if (!(blocks.getValue(i) instanceof JsonObject block) || !"text".equals(block.getValue("type"))
          || !(block.getValue("text") instanceof String piece)) {
        throw bad(at + "." + i + ": Input should be a text block {\"type\":\"text\",\"text\":...}");
      }
      text.append(piece);
    }
    return text.toString();
  }

  private static IllegalArgumentException bad(String message) {
    return new IllegalArgumentException(message);
  }
}
