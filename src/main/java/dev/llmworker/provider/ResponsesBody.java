package dev.llmworker.provider;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The Responses API ({@code /v1/responses}) for providers that only have a chat API (Anthropic Messages, Bedrock
 * Converse): text in, text out. A request becomes a {@link ChatBody} ({@code instructions} and system/developer
 * items as the system text, message items as turns, {@code max_output_tokens}, {@code temperature},
 * {@code top_p}); the answer becomes a Response object with one output message. What has no faithful
 * translation is refused by name ({@link IllegalArgumentException}): tools, reasoning, structured output,
 * conversation state, images and files.
 */
final class ResponsesBody {
  /** Options that change what a Response means; without them a translated answer would be a different one. */
  private static final Set<String> REFUSED = Set.of("tools", "tool_choice", "previous_response_id", "conversation",
      "reasoning", "prompt", "background", "include", "n");

  private ResponsesBody() {}

  static ChatBody read(JsonObject body) {
    for (String key : REFUSED) {
      if (body.containsKey(key) && body.getValue(key) != null) {
        throw new IllegalArgumentException("\"" + key + "\" of the Responses API cannot be translated to this "
            + "provider (text input and output only)");
      }
    }
    if (body.getValue("text") instanceof JsonObject text && text.getValue("format") instanceof JsonObject format
        && !"text".equals(format.getString("type"))) {
      throw new IllegalArgumentException("\"text.format\" " + format.getString("type") + " cannot be translated to "
          + "this provider (plain text only)");
    }
    StringBuilder system = new StringBuilder(body.getValue("instructions") instanceof String s ? s : "");
    List<ChatBody.Turn> turns = new ArrayList<>();
    Object input = body.getValue("input");
    if (input instanceof String text) {
      turns.add(new ChatBody.Turn("user", text));
    } else if (input instanceof JsonArray items) {
      for (int i = 0; i < items.size(); i++) {
        item(items.getValue(i), i, system, turns);
      }
    }
    if (turns.isEmpty()) {
      throw new IllegalArgumentException("there is no user input");
    }
    Object max = body.getValue("max_output_tokens");
    return new ChatBody(system.toString(), turns, max instanceof Number n ? n.longValue() : null,
        ChatBody.number(body, "temperature"), ChatBody.number(body, "top_p"), List.of());
  }

  private static void item(Object value, int i, StringBuilder system, List<ChatBody.Turn> turns) {
    if (!(value instanceof JsonObject item) || !"message".equals(item.getString("type", "message"))) {
      throw new IllegalArgumentException("input[" + i + "] is not a message (only text messages can be "
          + "translated to this provider)");
    }
    String role = String.valueOf(item.getValue("role"));
    String text = text(item.getValue("content"), i);
    switch (role) {
      case "system", "developer" -> system.append(system.length() > 0 ? "\n\n" : "").append(text);
      case "user", "assistant" -> turns.add(new ChatBody.Turn(role, text));
      default -> throw new IllegalArgumentException("input[" + i + "].role \"" + role + "\" is not supported here");
    }
  }

  private static String text(Object content, int i) {
    if (content instanceof String text) {
      return text;
    }
    if (content instanceof JsonArray parts) {
      StringBuilder text = new StringBuilder();
      for (Object part : parts) {
        String type = part instanceof JsonObject p ? p.getString("type", "") : "";
        if (!type.equals("input_text") && !type.equals("output_text") && !type.equals("text")) {
          throw new IllegalArgumentException("input[" + i + "] has a content part of type \"" + type + "\" (only "
              + "text can be translated to this provider)");
        }
        text.append(((JsonObject) part).getString("text", ""));
      }
      return text.toString();
    }
    throw new IllegalArgumentException("input[" + i + "].content must be text");
  }

  /**
   * A Response object as OpenAI's Responses API returns it, for a translated text answer. {@code finishReason}
   * in chat words: {@code length} makes the response {@code incomplete} with reason {@code max_output_tokens}.
   */
  static JsonObject response(String id, String model, String text, String finishReason, long input, long output) {
    boolean cut = "length".equals(finishReason);
    return new JsonObject()
        .put("id", id.startsWith("resp_") ? id : "resp_" + id)
        .put("object", "response")
        .put("created_at", System.currentTimeMillis() / 1000)
        .put("status", cut ? "incomplete" : "completed")
        .put("incomplete_details", cut ? new JsonObject().put("reason", "max_output_tokens") : null)
        .put("error", null)
        .put("model", model)
        .put("output", new JsonArray().add(new JsonObject()
            .put("type", "message")
            .put("id", "msg_" + UUID.randomUUID().toString().replace("-", ""))
            .put("status", cut ? "incomplete" : "completed")
            .put("role", "assistant")
            .put("content", new JsonArray().add(new JsonObject()
                .put("type", "output_text").put("text", text).put("annotations", new JsonArray())))))
        .put("usage", new JsonObject().put("input_tokens", input).put("output_tokens", output)
            .put("total_tokens", input + output));
  }
}
