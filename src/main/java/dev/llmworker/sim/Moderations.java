package dev.llmworker.sim;

import dev.llmworker.task.Endpoint;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenAI's {@code POST /v1/moderations}, with omni-moderation's 13 categories. A text is flagged only when it carries
 * a marker: {@code [[flag]]} flags "violence", {@code [[flag:CATEGORY]]} (e.g. {@code [[flag:self-harm/intent]]})
 * that category; a flagged category scores 0.99, every other a small score drawn from a hash of the text, so
 * the same text always gets the same answer. An array of strings gets one result each; an array of multi-modal
 * items ({@code {"type":"text","text":...}}, images ignored) is one input and gets one result. No usage block, as
 * OpenAI sends none.
 */
final class Moderations implements Operation<Moderations.Request> {
  static final String DEFAULT_MODEL = "omni-moderation-latest";
  static final List<String> CATEGORIES = List.of("harassment", "harassment/threatening", "hate", "hate/threatening",
      "illicit", "illicit/violent", "self-harm", "self-harm/instructions", "self-harm/intent", "sexual",
      "sexual/minors", "violence", "violence/graphic");
  static final String DEFAULT_FLAG = "violence";
  static final double FLAGGED_SCORE = 0.99;
  private static final Pattern FLAG = Pattern.compile("\\[\\[flag(?::([a-z/-]+))?]]");

  /** A parsed request: one text per result. */
  record Request(String model, List<String> texts, int promptTokens, Directives directives)
      implements SimRequest.InputOnly {}

  @Override
  public Endpoint endpoint() {
    return Endpoint.MODERATIONS;
  }

  @Override
  public Request parse(Buffer body, String routeModel) {
    JsonObject json = ChatRequest.object(body, "We could not parse the JSON body of your request. The body should "
        + "be a JSON object with 'input'.");
    Object model = json.getValue("model", DEFAULT_MODEL);
    if (!(model instanceof String name)) {
      throw new IllegalArgumentException("Invalid type for 'model': expected a string, but got " + model
          + " instead.");
    }
    List<String> texts = texts(json.getValue("input"));
    int tokens = 0;
    Directives directives = Directives.NONE;
    for (String text : texts) {
      flags(text); // an unknown category is the client's mistake: a 400 now rather than a surprise later
      tokens += ChatRequest.tokens(text.length());
      directives = directives.parse(text);
    }
    return new Request(name, texts, tokens, directives);
  }

  private static List<String> texts(Object input) {
    if (input == null) {
      throw new IllegalArgumentException("Missing required parameter: 'input'.");
    }
    if (input instanceof String text) {
      return List.of(text);
    }
    if (!(input instanceof JsonArray items) || items.isEmpty()) {
      throw TextInput.invalid("input");
    }
    if (items.stream().allMatch(item -> item instanceof String)) {
      return items.stream().map(String.class::cast).toList();
    }
    StringBuilder text = new StringBuilder();
    for (Object item : items) {
      if (!(item instanceof JsonObject part) || !(part.getValue("type") instanceof String type)) {
        throw TextInput.invalid("input");
      }
      if ("text".equals(type) && part.getValue("text") instanceof String piece) {
        text.append(piece);
      }
    }
    return List.of(text.toString());
  }

  /** The categories the text's markers flag; throws on an unknown category. */
  static Set<String> flags(String text) {
    Set<String> flagged = new LinkedHashSet<>();
    Matcher marker = FLAG.matcher(text);
    while (marker.find()) {
      String category = marker.group(1) == null ? DEFAULT_FLAG : marker.group(1);
      if (!CATEGORIES.contains(category)) {
        throw new IllegalArgumentException("Unknown moderation category in simulator marker [[flag:" + category
            + "]]; expected one of " + CATEGORIES + ".");
      }
      flagged.add(category);
    }
    return flagged;
  }

  @Override
  public JsonObject answer(Request request, String tag, long latencyMs) {
    List<JsonObject> results = new ArrayList<>();
    for (String text : request.texts()) {
      results.add(result(text));
    }
    return new JsonObject()
        .put("id", "modr-sim-" + tag)
        .put("model", request.model())
        .put("results", new JsonArray(new ArrayList<>(results)));
  }

  private static JsonObject result(String text) {
    Set<String> flagged = flags(text);
    JsonObject categories = new JsonObject();
    JsonObject scores = new JsonObject();
    JsonObject inputTypes = new JsonObject();
    for (String category : CATEGORIES) {
      boolean hit = flagged.contains(category);
      categories.put(category, hit);
      scores.put(category, hit ? FLAGGED_SCORE : lowScore(text, category));
      inputTypes.put(category, new JsonArray().add("text"));
    }
    return new JsonObject()
        .put("flagged", !flagged.isEmpty())
        .put("categories", categories)
        .put("category_scores", scores)
        .put("category_applied_input_types", inputTypes);
  }

  /** A score from 0.000001 to 0.001 that depends only on the text and the category. */
  private static double lowScore(String text, String category) {
    double draw = Math.abs(Embeddings.unnormalised("moderation:" + category, text, 1)[0]); // in [0, 1]
    return Math.round(draw * 999 + 1) / 1e6;
  }
}
