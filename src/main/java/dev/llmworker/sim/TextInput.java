package dev.llmworker.sim;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * One input of an embeddings or legacy completions request: a text, or token ids. OpenAI takes the same four forms
 * for both {@code input} and {@code prompt}: a string, an array of strings, an array of token ids, or an array of
 * token-id arrays.
 *
 * @param text   the text, or null for token ids
 * @param tokens the token ids, or null for a text
 */
record TextInput(String text, int[] tokens) {

  /** Its tokens: ceil(characters / 4) of a text, at least 1; the number of ids of a token array. */
  int tokenCount() {
    return text != null ? ChatRequest.tokens(text.length()) : tokens.length;
  }

  /** The text, or "" for token ids (whose text the simulator does not decode). */
  String textOrEmpty() {
    return text != null ? text : "";
  }

  /**
   * Reads {@code value} in any of the four forms; throws {@link IllegalArgumentException} with OpenAI's message for
   * anything else: an empty array, mixed forms, a non-integer token id, or an empty string when not {@code
   * emptyAllowed}.
   */
  static List<TextInput> parse(Object value, String field, boolean emptyAllowed) {
    if (value == null) {
      throw new IllegalArgumentException("Missing required parameter: '" + field + "'.");
    }
    if (value instanceof String text) {
      return List.of(text(text, field, emptyAllowed));
    }
    if (!(value instanceof JsonArray items) || items.isEmpty()) {
      throw invalid(field);
    }
    List<TextInput> inputs = new ArrayList<>(items.size());
    Object first = items.getValue(0);
    if (first instanceof Number) {
      return List.of(new TextInput(null, ids(items, field)));
    }
    for (Object item : items) {
      if (first instanceof String && item instanceof String text) {
        inputs.add(text(text, field, emptyAllowed));
      } else if (first instanceof JsonArray && item instanceof JsonArray ids && !ids.isEmpty()) {
        inputs.add(new TextInput(null, ids(ids, field)));
      } else {
        throw invalid(field);
      }
    }
    return inputs;
  }

  private static TextInput text(String text, String field, boolean emptyAllowed) {
    if (text.isEmpty() && !emptyAllowed) {
      throw invalid(field);
    }
    return new TextInput(text, null);
  }

  private static int[] ids(JsonArray items, String field) {
    int[] ids = new int[items.size()];
    for (int i = 0; i < ids.length; i++) {
      if (!(items.getValue(i) instanceof Integer id) || id < 0) {
        throw invalid(field);
      }
      ids[i] = id;
    }
    return ids;
  }

  /** OpenAI's words for an input of the wrong form. */
  static IllegalArgumentException invalid(String field) {
    return new IllegalArgumentException("'$." + field + "' is invalid. Please check the API reference: "
        + "https://platform.openai.com/docs/api-reference.");
  }
}
