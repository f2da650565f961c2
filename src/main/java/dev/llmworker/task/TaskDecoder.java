package dev.llmworker.task;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;

/** Turns an SQS message body into a {@link Task}, or a {@link TaskRejected} that names what is wrong. */
public final class TaskDecoder {
  private static final int MAX_CUSTOM_ID = 512;

  private final Set<String> knownProviders;

  public TaskDecoder(Set<String> knownProviders) {
    this.knownProviders = knownProviders;
  }

  public Task decode(String messageBody) {
    JsonObject json = parse(messageBody);
    String customId = customId(json);
    String method = json.getValue("method") instanceof String m ? m : "POST";
    if (!"POST".equalsIgnoreCase(method)) {
      throw new TaskRejected("bad_method", "method must be POST, got \"" + clip(method) + "\"", customId);
    }
    Endpoint endpoint = endpoint(json, customId);
    if (!(json.getValue("body") instanceof JsonObject body)) {
      throw new TaskRejected("missing_body", "\"body\" must be a JSON object with the request for " + endpoint.url,
          customId);
    }
    String missing = endpoint.missing(body);
    if (missing != null) {
      throw new TaskRejected(endpoint.missingCode(), missing, customId);
    }
    if (!(body.getValue("model") instanceof String model)) {
      throw new TaskRejected("missing_model", "\"body.model\" must be a string", customId);
    }
    String unusable = unusableModel(model);
    if (unusable != null) {
      throw new TaskRejected("bad_model", "\"body.model\" " + unusable, customId);
    }
    if (Boolean.TRUE.equals(body.getValue("stream"))) {
      throw new TaskRejected("unsupported_option", "\"body.stream\": true cannot be served in a batch (each result "
          + "is one whole JSON answer); remove it or set it to false", customId);
    }
    return new Task(customId, "POST", endpoint.url, body, provider(json, customId));
  }

  private static JsonObject parse(String messageBody) {
    if (messageBody == null || messageBody.isBlank()) {
      throw new TaskRejected("empty_body", "the message body is empty", null);
    }
    try {
      Object value = io.vertx.core.json.Json.decodeValue(messageBody);
      if (value instanceof JsonObject object) {
        return object;
      }
      throw new TaskRejected("not_an_object", "the message body is JSON but not an object", null);
    } catch (DecodeException e) {
      throw new TaskRejected("invalid_json", "the message body is not valid JSON: " + jsonProblem(e), null);
    }
  }

  private static String customId(JsonObject json) {
    Object id = json.getValue("custom_id");
    if (!(id instanceof String s) || s.isBlank()) {
      throw new TaskRejected("missing_custom_id", "\"custom_id\" must be a non-empty string", null);
    }
    if (s.length() > MAX_CUSTOM_ID) {
      throw new TaskRejected("bad_custom_id", "\"custom_id\" is longer than " + MAX_CUSTOM_ID + " characters", null);
    }
    for (int i = 0; i < s.length(); i++) {
      // C0 (tab and newline too), DEL and C1: such an id breaks the X-Client-Request-Id header, log lines and
      // terminals, and is never what a user meant; it is not repeated in the reason for the same cause
      if (Character.getType(s.charAt(i)) == Character.CONTROL) {
        throw new TaskRejected("bad_custom_id", String.format(Locale.ROOT, "\"custom_id\" contains the control "
            + "character U+%04X at position %d; ids must be printable text", (int) s.charAt(i),
            s.codePointCount(0, i) + 1), null);
      }
    }
    return s;
  }

  /**
   * Why {@code model} can never name a model, or null. Empty, "." and ".." are refused: in the Azure and Bedrock
   * URL paths, where the model is a path segment, a dot segment would step out of it.
   */
  public static String unusableModel(String model) {
    if (model.isBlank() || ".".equals(model) || "..".equals(model)) {
      return "\"" + clip(model) + "\" is not a model name (empty, \".\" and \"..\" never are, and "
          + "in a provider's URL path they would step out of the model's segment)";
    }
    return null;
  }

  private static Endpoint endpoint(JsonObject json, String customId) {
    Object value = json.getValue("url", "/v1/chat/completions");
    if (!(value instanceof String url) || !url.startsWith("/") || url.startsWith("//") || url.contains("://")) {
      throw new TaskRejected("bad_url", "\"url\" must be a path such as /v1/chat/completions, never a host; got "
          + clip(String.valueOf(value)), customId);
    }
    Endpoint endpoint = Endpoint.of(url);
    if (endpoint == null) {
      throw new TaskRejected("unsupported_url", "\"url\" " + clip(url) + " is not supported; use one of "
          + Endpoint.urls(), customId);
    }
    return endpoint;
  }

  private String provider(JsonObject json, String customId) {
    Object value = json.getValue("provider");
    if (value == null) {
      return null; // routed by model and endpoint (ProviderRoutes), the default provider last
    }
    if (!(value instanceof String name) || !knownProviders.contains(name)) {
      throw new TaskRejected("unknown_provider", "\"provider\" " + clip(String.valueOf(value))
          + " is not configured; configured: " + knownProviders, customId);
    }
    return name;
  }

  /** Jackson's first sentence ("Unexpected character ..."), without the parser's source dump. */
  private static String jsonProblem(DecodeException e) {
    String message = String.valueOf(e.getMessage()).replaceFirst("^Failed to decode:\\s*", "");
    int at = message.indexOf(" at [Source");
    return clip(at > 0 ? message.substring(0, at) : message);
  }

  /** Keeps reasons short and single-line: they travel as SQS message attributes and log lines. */
  public static String clip(String s) {
    if (s == null) {
      return "null";
    }
    String one = s.replaceAll("[\\r\\n\\t]+", " ");
    return one.length() <= 200 ? one : one.substring(0, 200) + "…";
  }
}
