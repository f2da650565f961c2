package dev.llmworker.provider;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an OpenAI chat request the way non-OpenAI providers need it: system text apart, the conversation as
 * user/assistant turns of text, and the sampling options. Anything it cannot carry over is an
 * {@link IllegalArgumentException} naming the field, so the task is dead-lettered with a reason.
 */
record ChatBody(String system, List<Turn> turns, Long maxTokens, Double temperature, Double topP, List<String> stop) {

  /** One user or assistant message; content is text only. */
  record Turn(String role, String text) {}

  /** A chat task's body, or a Responses task's translated ({@link ResponsesBody}). */
  static ChatBody read(dev.llmworker.task.Task task) {
    return task.endpoint() == dev.llmworker.task.Endpoint.RESPONSES ? ResponsesBody.read(task.body())
        : read(task.body());
  }

  /**
   * The answer of a translated call in the OpenAI shape of the task's endpoint: a chat completion, or a Response
   * object for the Responses API.
   */
  static JsonObject answer(dev.llmworker.task.Endpoint endpoint, String id, String model, String text,
      String finishReason, long prompt, long completion) {
    return endpoint == dev.llmworker.task.Endpoint.RESPONSES
        ? ResponsesBody.response(id, model, text, finishReason, prompt, completion)
        : completion(id, model, text, finishReason, prompt, completion);
  }

  static ChatBody read(JsonObject body) {
    StringBuilder system = new StringBuilder();
    List<Turn> turns = new ArrayList<>();
    JsonArray messages = body.getJsonArray("messages");
    for (int i = 0; i < messages.size(); i++) {
      if (!(messages.getValue(i) instanceof JsonObject message)) {
        throw new IllegalArgumentException("messages[" + i + "] is not an object");
      }
      String role = String.valueOf(message.getValue("role"));
      String text = text(message.getValue("content"), i);
      switch (role) {
        case "system", "developer" -> system.append(system.length() > 0 ? "\n\n" : "").append(text);
        case "user", "assistant" -> turns.add(new Turn(role, text));
        default -> throw new IllegalArgumentException("messages[" + i + "].role \"" + role
            + "\" is not supported here (use system, user or assistant)");
      }
    }
    if (turns.isEmpty()) {
      throw new IllegalArgumentException("there is no user message");
    }
    if (body.getInteger("n", 1) != 1) {
      throw new IllegalArgumentException("n other than 1 is not supported");
    }
    return new ChatBody(system.toString(), turns, maxTokens(body), number(body, "temperature"),
        number(body, "top_p"), stop(body.getValue("stop")));
  }

  private static String text(Object content, int index) {
    if (content instanceof String text) {
      return text;
    }
    if (content instanceof JsonArray parts) {
      StringBuilder text = new StringBuilder();
      for (Object part : parts) {
        if (!(part instanceof JsonObject object) || !"text".equals(object.getString("type"))) {
          throw new IllegalArgumentException("messages[" + index + "] has a content part that is not text");
        }
        text.append(object.getString("text", ""));
      }
      return text.toString();
    }
    throw new IllegalArgumentException("messages[" + index + "].content must be text");
  }

  static Long maxTokens(JsonObject body) {
    Object value = body.getValue("max_completion_tokens", body.getValue("max_tokens"));
    return value instanceof Number n ? n.longValue() : null;
  }

  static Double number(JsonObject body, String key) {
    Object value = body.getValue(key);
    return value instanceof Number n ? n.doubleValue() : null;
  }

  private static List<String> stop(Object value) {
    if (value instanceof String s) {
      return List.of(s);
    }
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(s -> out.add(String.valueOf(s)));
    }
    return out;
  }

  /** An OpenAI chat.completion with one choice, for providers whose answers we translate. */
  static JsonObject completion(String id, String model, String text, String finishReason, long prompt,
      long completion) {
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", model)
        .put("choices", new JsonArray().add(new JsonObject()
            .put("index", 0)
            .put("message", new JsonObject().put("role", "assistant").put("content", text))
            .put("finish_reason", finishReason)))
        .put("usage", new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion)
            .put("total_tokens", prompt + completion));
  }

  /** Anthropic's and Bedrock's stop reasons in OpenAI's words. */
  static String finishReason(String stopReason) {
    if (stopReason == null) {
      return "stop";
    }
    return switch (stopReason) {
      case "max_tokens" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal", "guardrail_intervened", "content_filtered" -> "content_filter";
      default -> "stop";
    };
  }
}
