package dev.llmworker.task;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI endpoints a task may ask for (those the OpenAI Batch API accepts), each with the body field it cannot
 * do without. A task names one by its path, with or without the {@code /v1} prefix; the host is always the
 * configured provider's.
 */
public enum Endpoint {
  CHAT("/v1/chat/completions", "chat", "messages", "a non-empty array of messages"),
  RESPONSES("/v1/responses", "responses", "input", "a string or a non-empty array of input items"),
  EMBEDDINGS("/v1/embeddings", "embeddings", "input",
      "a string, an array of strings or an array of token arrays (not empty)"),
  COMPLETIONS("/v1/completions", "completions", "prompt", "a string or a non-empty array of strings"),
  MODERATIONS("/v1/moderations", "moderations", "input", "a string, an array of strings or of input items");

  private static final Map<String, Endpoint> BY_PATH = new LinkedHashMap<>();

  static {
    for (Endpoint e : values()) {
      BY_PATH.put(e.url, e);
      BY_PATH.put(e.path(), e);
    }
  }

  /** The path as OpenAI's Batch API names it, e.g. {@code /v1/embeddings}. */
  public final String url;
  /** Short name for statistics, metrics and messages. */
  public final String label;
  private final String field;
  private final String fieldForm;

  Endpoint(String url, String label, String field, String fieldForm) {
    this.url = url;
    this.label = label;
    this.field = field;
    this.fieldForm = fieldForm;
  }

  /** The path below an OpenAI-compatible base URL that ends in {@code /v1}: {@code /embeddings}. */
  public String path() {
    return url.substring("/v1".length());
  }

  /** The endpoint a task's url names, or null. */
  public static Endpoint of(String url) {
    return url == null ? null : BY_PATH.get(url);
  }

  /** Every url a task may give, for messages. */
  public static List<String> urls() {
    return Arrays.stream(values()).map(e -> e.url).toList();
  }

  /** Why {@code body} cannot be sent to this endpoint (its required field is missing or empty), or null. */
  String missing(JsonObject body) {
    Object value = body.getValue(field);
    boolean present = value instanceof JsonArray a ? !a.isEmpty() : this != CHAT && value instanceof String s
        && !s.isEmpty();
    return present ? null : "\"body." + field + "\" must be " + fieldForm + " for " + url;
  }

  /** The rejection code for a body without its endpoint's required field. */
  String missingCode() {
    return "missing_" + field;
  }
}
