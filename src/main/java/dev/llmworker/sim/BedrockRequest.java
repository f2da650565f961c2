package dev.llmworker.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Reads a Bedrock Converse body as strictly as Bedrock does: unknown keys and wrong types are a
 * ValidationException, so a client that builds the wrong shape fails its contract test here.
 */
final class BedrockRequest {
  /** Converse's top-level keys; only messages, system and inferenceConfig are read, the rest are allowed. */
  static final Set<String> KNOWN = Set.of("messages", "system", "inferenceConfig", "toolConfig", "guardrailConfig",
      "additionalModelRequestFields", "additionalModelResponseFieldPaths", "promptVariables", "requestMetadata",
      "performanceConfig");
  static final Set<String> INFERENCE_KEYS = Set.of("maxTokens", "temperature", "topP", "stopSequences");

  private BedrockRequest() {}

  static ChatRequest parse(Buffer body, String modelId) {
    JsonObject json = ChatRequest.object(body, "Malformed input request, please reformat your input and try again.");
    for (String key : json.fieldNames()) {
      if (!KNOWN.contains(key)) {
        throw bad("Malformed input request: extraneous key [" + key + "] is not permitted, please reformat your "
            + "input and try again.");
      }
    }
    long maxTokens = inferenceConfig(json.getValue("inferenceConfig"));
    ChatRequest.Tally tally = new ChatRequest.Tally();
    Object system = json.getValue("system");
    if (system != null) {
      tally.add("system", text(system, "system"));
    }
    if (!(json.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
      throw bad("1 validation error detected: Value at 'messages' failed to satisfy constraint: Member must be a "
          + "non-empty list");
    }
    for (int i = 0; i < messages.size(); i++) {
      String at = "messages." + (i + 1);
      if (!(messages.getValue(i) instanceof JsonObject message)) {
        throw bad("Value at '" + at + "' failed to satisfy constraint: Member must be an object");
      }
      Object role = message.getValue("role");
      if (!"user".equals(role) && !"assistant".equals(role)) {
        throw bad("Value '" + role + "' at '" + at + ".role' failed to satisfy constraint: Member must satisfy enum "
            + "value set: [user, assistant]");
      }
      tally.add((String) role, text(message.getValue("content"), at + ".content"));
    }
    return tally.request(modelId, maxTokens);
  }

  /** The maxTokens asked for, or the simulator's default when the config or the field is absent. */
  private static long inferenceConfig(Object value) {
    if (value == null) {
      return ChatRequest.DEFAULT_MAX_TOKENS;
    }
    if (!(value instanceof JsonObject config)) {
      throw bad("Value at 'inferenceConfig' failed to satisfy constraint: Member must be an object");
    }
    for (String key : config.fieldNames()) {
      if (!INFERENCE_KEYS.contains(key)) {
        throw bad("Malformed input request: extraneous key [inferenceConfig." + key + "] is not permitted");
      }
    }
    for (String key : new String[] {"temperature", "topP"}) {
      Object number = config.getValue(key);
      if (number != null && !(number instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1)) {
        throw bad("Value '" + number + "' at 'inferenceConfig." + key + "' failed to satisfy constraint: Member "
            + "must be a number between 0 and 1");
      }
    }
    Object stops = config.getValue("stopSequences");
    if (stops != null && !(stops instanceof JsonArray list && list.stream().allMatch(s -> s instanceof String))) {
      throw bad("Value at 'inferenceConfig.stopSequences' failed to satisfy constraint: Member must be a list of "
          + "strings");
    }
    Object max = config.getValue("maxTokens");
    if (max == null) {
      return ChatRequest.DEFAULT_MAX_TOKENS;
    }
    if (!(max instanceof Integer || max instanceof Long) || ((Number) max).longValue() < 1) {
      throw bad("Value '" + max + "' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must be "
          + "an integer greater than or equal to 1");
    }
    return ((Number) max).longValue();
  }

  /** A non-empty list of {"text": ...} blocks, the only kind the simulator reads. */
  private static String text(Object content, String at) {
    if (!(content instanceof JsonArray blocks) || blocks.isEmpty()) {
      throw bad("Value at '" + at + "' failed to satisfy constraint: Member must be a non-empty list of content "
          + "blocks");
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < blocks.size(); i++) {
      if (!(blocks.getValue(i) instanceof JsonObject block) || !(block.getValue("text") instanceof String piece)) {
        throw bad("Value at '" + at + "." + (i + 1) + "' failed to satisfy constraint: the simulator reads only "
            + "text blocks {\"text\": ...}");
      }
      text.append(piece);
    }
    return text.toString();
  }

  private static IllegalArgumentException bad(String message) {
    return new IllegalArgumentException(message);
  }
}
