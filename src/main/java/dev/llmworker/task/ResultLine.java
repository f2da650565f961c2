package dev.llmworker.task;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** Builds result lines in the OpenAI Batch API output format, plus llm-worker's {@code llmw} block. */
public final class ResultLine {
  private ResultLine() {}

  public static JsonObject success(
      String customId, int statusCode, String requestId, JsonObject body, Usage usage, Meta meta) {
    JsonObject response = new JsonObject()
        .put("status_code", statusCode)
        .put("request_id", requestId)
        .put("body", body);
    return base(customId).put("response", response).putNull("error").put("llmw", meta.toJson().put("usage", usage.toJson()));
  }

  public static JsonObject failure(String customId, String code, String message, Meta meta) {
    JsonObject error = new JsonObject().put("code", code).put("message", message);
    return base(customId).putNull("response").put("error", error).put("llmw", meta.toJson());
  }

  private static JsonObject base(String customId) {
    return new JsonObject().put("id", "batch_req_" + UUID.randomUUID().toString().replace("-", ""))
        .put("custom_id", customId);
  }

  /** Token counts as the provider reported them (input and output for the Responses API). */
  public record Usage(long promptTokens, long completionTokens) {
    public static final Usage NONE = new Usage(0, 0);

    public static Usage from(JsonObject body) {
      JsonObject usage = body == null ? null : body.getJsonObject("usage");
      if (usage == null) {
        return NONE;
      }
      // chat, completions and embeddings say prompt/completion; the Responses API says input/output
      return new Usage(usage.getLong("prompt_tokens", usage.getLong("input_tokens", 0L)),
          usage.getLong("completion_tokens", usage.getLong("output_tokens", 0L)));
    }

    JsonObject toJson() {
      return new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens);
    }
  }

  /**
   * How the task was served. {@code model}, {@code costUsd}, {@code fallbackFrom} and {@code raw} are null when
   * they do not apply (no price configured for the model, no fallback, results.keepRaw off).
   */
  public record Meta(int attempts, String provider, long latencyMs, String model, Double costUsd,
      String fallbackFrom, JsonObject raw) {

    public Meta(int attempts, String provider, long latencyMs) {
      this(attempts, provider, latencyMs, null, null, null, null);
    }

    JsonObject toJson() {
      JsonObject json = new JsonObject().put("attempts", attempts).put("provider", provider)
          .put("latency_ms", latencyMs);
      if (model != null) {
        json.put("model", model);
      }
      if (costUsd != null) {
        json.put("cost_usd", costUsd);
      }
      if (fallbackFrom != null) {
        json.put("fallback_from", fallbackFrom);
      }
      if (raw != null) {
        json.put("raw", raw);
      }
      return json;
    }
  }
}
