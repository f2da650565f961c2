package dev.llmworker.batchcli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A batch object as the API answers it, read leniently: an absent, null or mistyped field is unknown, not fatal. */
record BatchObject(JsonObject json) {
  /** {@code request_counts}. */
  record Counts(long total, long completed, long failed) {}

  /** One entry of {@code errors.data}: why the input file was refused; {@code line} may be null. */
  record InputError(String code, String message, Long line, String param) {}

  /** llm-worker's {@code llmw} block: progress figures; {@code costUsd} and {@code etaSeconds} may be null. */
  record Figures(long done, long promptTokens, long completionTokens, Double costUsd, double perSecond,
      Long etaSeconds) {}

  String id() {
    return text(json, "id");
  }

  String statusText() {
    String status = text(json, "status");
    return status == null ? "unknown" : status;
  }

  BatchStatus status() {
    return BatchStatus.of(text(json, "status"));
  }

  String endpoint() {
    return text(json, "endpoint");
  }

  String inputFileId() {
    return text(json, "input_file_id");
  }

  String outputFileId() {
    return text(json, "output_file_id");
  }

  String errorFileId() {
    return text(json, "error_file_id");
  }

  /** A time stamp field ({@code created_at}, {@code completed_at}...) in epoch seconds, or null. */
  Long time(String field) {
    return number(json, field);
  }

  Counts counts() {
    JsonObject c = object(json, "request_counts");
    return new Counts(orZero(number(c, "total")), orZero(number(c, "completed")), orZero(number(c, "failed")));
  }

  /** Requests settled so far: the {@code llmw} figure when there is one, else completed + failed. */
  long done() {
    Figures f = figures();
    return f != null ? f.done() : counts().completed() + counts().failed();
  }

  /** The {@code llmw} block, or null on a server (or an old object) without one. */
  Figures figures() {
    JsonObject l = object(json, "llmw");
    if (l.isEmpty()) {
      return null;
    }
    Object cost = l.getValue("cost_usd");
    Object rate = l.getValue("per_second");
    return new Figures(orZero(number(l, "done")), orZero(number(l, "prompt_tokens")),
        orZero(number(l, "completion_tokens")), cost instanceof Number n ? n.doubleValue() : null,
        rate instanceof Number n ? n.doubleValue() : 0, number(l, "eta_seconds"));
  }

  List<InputError> errors() {
    Object data = object(json, "errors").getValue("data");
    List<InputError> errors = new ArrayList<>();
    if (data instanceof JsonArray array) {
      for (Object item : array) {
        if (item instanceof JsonObject e) {
          errors.add(new InputError(text(e, "code"), text(e, "message"), number(e, "line"), text(e, "param")));
        }
      }
    }
    return errors;
  }

  Map<String, String> metadata() {
    Map<String, String> metadata = new LinkedHashMap<>();
    object(json, "metadata").forEach(e -> metadata.put(e.getKey(), String.valueOf(e.getValue())));
    return metadata;
  }

  private static String text(JsonObject o, String field) {
    Object v = o.getValue(field);
    return v == null ? null : String.valueOf(v);
  }

  private static Long number(JsonObject o, String field) {
    return o.getValue(field) instanceof Number n ? n.longValue() : null;
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  private static JsonObject object(JsonObject o, String field) {
    return o.getValue(field) instanceof JsonObject inner ? inner : new JsonObject();
  }
}
