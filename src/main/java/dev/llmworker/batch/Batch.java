package dev.llmworker.batch;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * A batch object in OpenAI's shape. Statuses move {@code validating → in_progress → finalizing → completed}, or
 * to {@code failed} (an invalid file), {@code cancelling → cancelled}, or {@code expired}.
 */
final class Batch {
  static final String VALIDATING = "validating";
  static final String FAILED = "failed";
  static final String IN_PROGRESS = "in_progress";
  static final String FINALIZING = "finalizing";
  static final String COMPLETED = "completed";
  static final String EXPIRED = "expired";
  static final String CANCELLING = "cancelling";
  static final String CANCELLED = "cancelled";
  static final Set<String> ENDED = Set.of(FAILED, COMPLETED, EXPIRED, CANCELLED);
  private static final String[] TIMES = {"in_progress_at", "finalizing_at", "completed_at", "failed_at",
      "expired_at", "cancelling_at", "cancelled_at"};

  private Batch() {}

  static boolean validId(String id) {
    return id != null && id.matches("batch_[A-Za-z0-9]{1,64}");
  }

  static JsonObject created(String id, String inputFileId, String endpoint, JsonObject metadata, long now,
      long windowSeconds) {
    JsonObject batch = new JsonObject().put("id", id).put("object", "batch").put("endpoint", endpoint)
        .putNull("errors").put("input_file_id", inputFileId).put("completion_window", "24h")
        .put("status", VALIDATING).putNull("output_file_id").putNull("error_file_id").put("created_at", now)
        .putNull("in_progress_at").put("expires_at", now + windowSeconds);
    for (String time : TIMES) {
      if (!batch.containsKey(time)) {
        batch.putNull(time);
      }
    }
    return batch.put("request_counts", counts(0, 0, 0)).put("metadata", metadata);
  }

  static JsonObject counts(long total, long completed, long failed) {
    return new JsonObject().put("total", total).put("completed", completed).put("failed", failed);
  }

  static String status(JsonObject batch) {
    return batch.getString("status");
  }

  static boolean ended(JsonObject batch) {
    return ENDED.contains(status(batch));
  }

  static long total(JsonObject batch) {
    return batch.getJsonObject("request_counts").getLong("total", 0L);
  }

  /** Moves to {@code status}, stamping its {@code <status>_at} time. */
  static JsonObject moveTo(JsonObject batch, String status, long now) {
    batch.put("status", status);
    String at = status + "_at";
    if (batch.containsKey(at) && batch.getValue(at) == null) {
      batch.put(at, now);
    }
    return batch;
  }

  /**
   * What clients see: the record without llm-worker's bookkeeping, with {@code request_counts} from the parts
   * collected so far while the batch runs ({@code live}, null when not read), and the {@code llmw} progress block:
   * lines done, tokens, cost, rate and estimated time left.
   */
  static JsonObject view(JsonObject record, PartTotals live, long nowSeconds) {
    JsonObject batch = record.copy();
    long total = total(batch);
    PartTotals totals = live != null ? live : PartTotals.ZERO;
    if (live != null && !ended(batch)) {
      long completed = Math.min(total, live.completed());
      long failed = Math.min(total - completed, live.failed());
      batch.put("request_counts", counts(total, completed, failed));
    }
    JsonObject stored = record.getJsonObject("llmw");
    if (stored != null && (live == null || ended(batch))) {
      return batch;
    }
    JsonObject counts = batch.getJsonObject("request_counts");
    long done = counts.getLong("completed") + counts.getLong("failed");
    Long started = batch.getLong("in_progress_at");
    long end = endedAt(batch, nowSeconds);
    double perSecond = started == null || end <= started ? 0 : (double) done / (end - started);
    Long eta = ended(batch) || perSecond <= 0 ? null : Math.round((total - done) / perSecond);
    return batch.put("llmw", progress(done, totals, perSecond, eta));
  }

  static JsonObject progress(long done, PartTotals totals, double perSecond, Long eta) {
    return new JsonObject().put("done", done).put("prompt_tokens", totals.promptTokens())
        .put("completion_tokens", totals.completionTokens())
        .put("cost_usd", totals.costMicros() == 0 ? null : totals.costMicros() / 1_000_000.0)
        .put("per_second", Math.round(perSecond * 10) / 10.0).put("eta_seconds", eta);
  }

  private static long endedAt(JsonObject batch, long now) {
    for (String at : new String[] {"completed_at", "cancelled_at", "expired_at", "failed_at", "finalizing_at"}) {
      Long t = batch.getLong(at);
      if (t != null) {
        return t;
      }
    }
    return now;
  }
}
