package dev.llmworker.monitor;

import dev.llmworker.sqs.DeadLetterQueue;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The dashboard's redrives of the dead-letter queue: one at a time, answered at once with an id; its progress and its
 * outcome (moved, not found, failed) are the {@code redrive} of {@code /api/stats}. Confined to the monitor's context.
 */
final class RedriveTracker {
  private JsonObject current;

  boolean running() {
    return current != null && "running".equals(current.getString("status"));
  }

  /** The redrive under way, or the last one; null before the first. */
  JsonObject toJson() {
    return current == null ? null : current.copy();
  }

  /** Starts tracking a redrive of {@code scope} ("all", or how many ids); returns what to answer at once. */
  JsonObject start(String scope) {
    current = new JsonObject().put("redrive_id", "redrive-" + UUID.randomUUID().toString().substring(0, 8))
        .put("scope", scope).put("status", "running").put("moved", 0).put("started_at", Instant.now().toString());
    return current.copy();
  }

  void moved(int count) {
    current.put("moved", current.getInteger("moved") + count);
  }

  void finished(DeadLetterQueue.Redriven result) {
    current.put("status", "done").put("moved", result.moved())
        .put("not_found", new JsonArray(List.copyOf(result.notFound()))).put("finished_at", Instant.now().toString());
  }

  void failed(Throwable error) {
    current.put("status", "failed").put("error", "redrive stopped: " + error.getMessage())
        .put("finished_at", Instant.now().toString());
  }
}
