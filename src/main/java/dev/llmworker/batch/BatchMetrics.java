package dev.llmworker.batch;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Prometheus figures of the Batch API, from what this node's sweeper last read from the store (every node serving
 * the API shows the same, the store's): {@code llmw_batches{status}} batches in each status, and
 * {@code llmw_batch_requests{status,outcome}} their requests (total, completed, failed) by the batch's status.
 */
final class BatchMetrics {
  private static final List<String> STATUSES = List.of(Batch.VALIDATING, Batch.FAILED, Batch.IN_PROGRESS,
      Batch.FINALIZING, Batch.COMPLETED, Batch.EXPIRED, Batch.CANCELLING, Batch.CANCELLED);
  private static final List<String> OUTCOMES = List.of("total", "completed", "failed");

  private BatchMetrics() {}

  static void bind(MeterRegistry registry, Supplier<Map<String, JsonObject>> latest) {
    for (String status : STATUSES) {
      Gauge.builder("llmw.batches", () -> latest.get().values().stream()
              .filter(b -> status.equals(b.getString("status"))).count())
          .description("Batch API batches by status").tag("status", status).register(registry);
      for (String outcome : OUTCOMES) {
        Gauge.builder("llmw.batch.requests", () -> latest.get().values().stream()
                .filter(b -> status.equals(b.getString("status")))
                .mapToLong(b -> b.getJsonObject("request_counts", new JsonObject()).getLong(outcome, 0L)).sum())
            .description("Requests of Batch API batches, by the batch's status").tag("status", status)
            .tag("outcome", outcome).register(registry);
      }
    }
  }
}
