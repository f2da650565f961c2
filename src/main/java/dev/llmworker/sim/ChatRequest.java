package dev.llmworker.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The parts of a chat completion request the simulator uses.
 *
 * @param promptTokens     ceil(characters of all message contents / 4), at least 1
 * @param completionTokens what the answer will cost: min(max_tokens, 16), at least 1
 * @param budgetTokens     what the request counts against tpm: prompt + max_tokens (16 when absent)
 */
record ChatRequest(String model, int promptTokens, int completionTokens, long budgetTokens, String lastUserText,
    Directives directives) implements SimRequest {
  static final String DEFAULT_MODEL = "sim-1";
  static final int DEFAULT_MAX_TOKENS = 16;
  static final int CHARS_PER_TOKEN = 4;

  /** Throws {@link IllegalArgumentException} with a message fit for an OpenAI {@code invalid_request_error}. */
  static ChatRequest parse(Buffer body) {
    JsonObject json = object(body);
    if (!(json.getValue("messages") instanceof JsonArray messages)) {
      throw new IllegalArgumentException("Missing required parameter: 'messages'.");
    }
    Tally tally = new Tally();
    for (int i = 0; i < messages.size(); i++) {
      if (!(messages.getValue(i) instanceof JsonObject message)) {
        throw new IllegalArgumentException("Invalid type for 'messages[" + i + "]': expected an object.");
      }
      tally.add(message.getValue("role") instanceof String role ? role : "", text(message.getValue("content")));
    }
    Object model = json.getValue("model");
    return tally.request(model instanceof String name ? name : DEFAULT_MODEL, maxTokens(json));
  }

  /** The same request under another model name, e.g. an Azure deployment's. */
  ChatRequest withModel(String name) {
    return new ChatRequest(name, promptTokens, completionTokens, budgetTokens, lastUserText, directives);
  }

  /**
   * Adds up the texts of a request in any wire format, so every dialect counts tokens, finds directives and
   * picks the last user text the same way.
   */
  static final class Tally {
    private long chars;
    private String lastUser = "";
    private Directives directives = Directives.NONE;

    /** Counts one text; {@code role} "user" makes it the text the answer quotes. */
    Tally add(String role, String text) {
      chars += text.length();
      if (text.contains(Directives.MARKER)) {
        directives = directives.parse(text);
      }
      if ("user".equals(role)) {
        lastUser = text;
      }
      return this;
    }

    /** The request, with {@code maxTokens} as asked for (at least 1). */
    ChatRequest request(String model, long maxTokens) {
      int prompt = tokens(chars);
      int completion = (int) Math.max(1, Math.min(maxTokens, DEFAULT_MAX_TOKENS));
      return new ChatRequest(model, prompt, completion, prompt + maxTokens, lastUser, directives);
    }
  }

  /** The simulator's token count of a text of {@code chars} characters: ceil(chars / 4), at least 1. */
  static int tokens(long chars) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN));
  }

  /**
   * A generated text as an endpoint that honours its output limit reports it (completions, Responses).
   *
   * @param cut true when the limit cut the text short
   */
  record Output(String text, int tokens, boolean cut) {
    /** {@code text} as generated under a limit of {@code maxTokens}: cut to that many tokens' characters if longer. */
    static Output of(String text, long maxTokens) {
      int natural = ChatRequest.tokens(text.length());
      if (natural <= maxTokens) {
        return new Output(text, natural, false);
      }
      return new Output(prefix(text, (int) maxTokens * CHARS_PER_TOKEN), (int) maxTokens, true);
    }
  }

  /** A deterministic answer, so callers can check they got the reply to their own prompt. */
  String answer() {
    return answerTo(lastUserText, directives);
  }

  /** The answer to {@code userText}: it quotes the text's start, padded to the answer_chars directive if set. */
  static String answerTo(String userText, Directives directives) {
    String answer = "Simulated answer to: " + quote(userText);
    int length = directives.answerChars();
    if (length <= answer.length()) {
      return answer;
    }
    StringBuilder padded = new StringBuilder(length).append(answer).append(' ');
    while (padded.length() < length) {
      padded.append("é lorem ipsum ");
    }
    return padded.substring(0, length);
  }

  /** The first 40 characters, never half of a surrogate pair (an emoji): JSON cannot carry half of one. */
  static String quote(String text) {
    return prefix(text, 40);
  }

  /** The first {@code length} characters, one fewer if the last would be half of a surrogate pair. */
  static String prefix(String text, int length) {
    int end = Math.min(length, text.length());
    if (end > 0 && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  private static JsonObject object(Buffer body) {
    return object(body, "We could not parse the JSON body of your request. The body should be a JSON object with "
        + "'model' and 'messages'.");
  }

  /** The body as a JSON object, or an {@link IllegalArgumentException} with {@code failure}, never the parser's. */
  static JsonObject object(Buffer body, String failure) {
    try {
      if (body != null && body.length() > 0) {
        return new JsonObject(body);
      }
    } catch (RuntimeException e) {
      // reported below, like the providers do, without the parser's details
    }
    throw new IllegalArgumentException(failure);
  }

  /** Content is a string, null (tool calls), or a list of parts of which the text parts count. */
  private static String text(Object content) {
    if (content instanceof String text) {
      return text;
    }
    if (content instanceof JsonArray parts) {
      StringBuilder text = new StringBuilder();
      for (Object part : parts) {
        if (part instanceof JsonObject object && object.getValue("text") instanceof String piece) {
          text.append(piece);
        }
      }
      return text.toString();
    }
    return "";
  }

  private static long maxTokens(JsonObject json) {
    Object value = json.getValue("max_completion_tokens", json.getValue("max_tokens"));
    if (value == null) {
      return DEFAULT_MAX_TOKENS;
    }
    if (!(value instanceof Number number) || number.longValue() < 1) {
      throw new IllegalArgumentException("Invalid 'max_tokens': expected an integer of 1 or more, got " + value + ".");
    }
    return number.longValue();
  }
}
