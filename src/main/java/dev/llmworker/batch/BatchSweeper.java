package dev.llmworker.batch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves batches on, on every node serving the Batch API, from what the store says (so any node can, and a node
 * that dies is replaced by the others): a batch whose lines all have a result is finalized; a cancelled one has its
 * cancel announced to every poller, and is finalized when its last running line is in (or after a grace period,
 * the lines never settled getting {@code batch_cancelled}); an expired one likewise with {@code batch_expired};
 * a batch whose enqueueing or finalizing node stopped beating is taken over. A short cluster-wide lock keeps two
 * nodes from taking the same step; every step is safe to repeat.
 */
final class BatchSweeper {
  private static final Logger LOG = LoggerFactory.getLogger(BatchSweeper.class);
  static final long STALE_SECONDS = 60;
  /** How long a cancelled or expired batch waits for lines still running or back in the queue with a delay. */
  static final long GRACE_SECONDS = Long.getLong("llmw.batchGraceSeconds", 300);
  private static final long TICK_MS = 1_000;
  private static final int FULL_SCAN_EVERY = 5;

  private final Vertx vertx;
  private final BatchRecords records;
  private final BatchRunner runner;
  private final BatchFinalizer finalizer;
  private final Set<String> ended = new HashSet<>();
  private final Set<String> busy = new HashSet<>();
  private final Set<String> dirty = new HashSet<>();
  private final Set<String> announced = new HashSet<>();
  /** The parts' count at which a batch was last merged and found short of distinct lines: merged again only above. */
  private final Map<String, Long> shortAt = new HashMap<>();
  /** The latest status and counts of every batch, for the metrics. */
  private final Map<String, JsonObject> latest = new java.util.concurrent.ConcurrentHashMap<>();
  private long ticks;
  private long timer = -1;

  BatchSweeper(Vertx vertx, BatchRecords records, BatchRunner runner, BatchFinalizer finalizer) {
    this.vertx = vertx;
    this.records = records;
    this.runner = runner;
    this.finalizer = finalizer;
  }

  void start() {
    timer = vertx.setPeriodic(TICK_MS, id -> tick());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /** A part of this batch was stored: see at the next tick whether it is complete. */
  void collected(String batchId) {
    dirty.add(batchId);
  }

  /**
   * Whether this node saw the batch end {@code completed}: every custom_id of its input is in its files, so a
   * result line arriving now is a redelivery of one that is.
   */
  boolean completed(String batchId) {
    JsonObject seen = latest.get(batchId);
    return ended.contains(batchId) && seen != null && Batch.COMPLETED.equals(seen.getString("status"));
  }

  /** Status and request counts of every batch seen, for {@link BatchMetrics}. */
  Map<String, JsonObject> latest() {
    return latest;
  }

  private void tick() {
    if (++ticks % FULL_SCAN_EVERY == 1) {
      records.ids().onSuccess(ids -> {
        latest.keySet().retainAll(Set.copyOf(ids));
        ids.stream().filter(id -> !ended.contains(id)).forEach(this::check);
      }).onFailure(e -> LOG.warn("listing batches failed: {}", e.getMessage()));
    } else {
      List<String> due = List.copyOf(dirty);
      dirty.clear();
      due.forEach(this::check);
    }
  }

  /** Looks at one batch and takes the step it needs, if any; completes when that step is done. */
  Future<Void> check(String id) {
    if (!busy.add(id)) {
      return Future.succeededFuture();
    }
    return records.get(id)
        .compose(record -> record == null ? Future.succeededFuture() : evaluate(record))
        .onFailure(e -> LOG.warn("batch {}: {}", id, e.getMessage()))
        .onComplete(ar -> busy.remove(id))
        .otherwiseEmpty();
  }

  private Future<Void> evaluate(JsonObject record) {
    String id = record.getString("id");
    remember(record);
    if (Batch.ended(record)) {
      ended.add(id);
      return Future.succeededFuture();
    }
    return Future.all(records.run(id), records.cancelledAt(id)).compose(both -> {
      JsonObject run = both.resultAt(0);
      Long cancelledAt = both.resultAt(1);
      if (cancelledAt != null) {
        latest.get(id).put("status", Batch.CANCELLING);
        announce(id);
      }
      String status = Batch.status(record);
      String phase = run == null ? "validate" : run.getString("phase", "validate");
      if (Batch.FINALIZING.equals(status)) {
        return stale(run) ? finalize(id, cancelledAt != null, null).mapEmpty() : Future.succeededFuture();
      }
      if (Batch.VALIDATING.equals(status) || !"sent".equals(phase)) {
        return stale(run) ? takeOver(id, run) : Future.succeededFuture();
      }
      return records.totals(id).compose(totals -> progress(record, totals, cancelledAt));
    });
  }

  /** The batch's status and counts as the metrics show them (an ended batch is not looked at again). */
  private void remember(JsonObject record) {
    latest.put(record.getString("id"), new JsonObject().put("status", Batch.status(record))
        .put("request_counts", record.getJsonObject("request_counts")));
  }

  private Future<Void> progress(JsonObject record, PartTotals totals, Long cancelledAt) {
    String id = record.getString("id");
    long now = BatchRunner.now();
    latest.get(id).put("request_counts", Batch.view(record, totals, now).getJsonObject("request_counts"));
    if (totals.done() >= Batch.total(record) && totals.done() > shortAt.getOrDefault(id, -1L)) {
      return finalize(id, cancelledAt != null, null).onSuccess(ended -> {
        if (!ended) {
          shortAt.put(id, totals.done());
        }
      }).mapEmpty();
    }
    if (cancelledAt != null && now > cancelledAt + GRACE_SECONDS) {
      return finalize(id, true, BatchStops.CANCELLED).mapEmpty();
    }
    if (now > record.getLong("expires_at") + GRACE_SECONDS) {
      return finalize(id, false, BatchStops.EXPIRED).mapEmpty();
    }
    return Future.succeededFuture();
  }

  private void announce(String id) {
    if (announced.add(id)) {
      BatchStops.announce(vertx, id, BatchStops.CANCELLED)
          .onFailure(e -> announced.remove(id));
    }
  }

  private static boolean stale(JsonObject run) {
    return run == null || BatchRunner.now() - run.getLong("heartbeat_at", 0L) > STALE_SECONDS;
  }

  /** The node enqueueing this batch stopped: go on from its last chunk. */
  private Future<Void> takeOver(String id, JsonObject oldRun) {
    return locked(id, () -> Future.all(records.get(id), records.run(id)).compose(both -> {
      JsonObject record = both.resultAt(0);
      JsonObject run = both.resultAt(1);
      if (record == null || Batch.ended(record) || !stale(run)) {
        return Future.succeededFuture();
      }
      JsonObject claim = runner.claim(run == null ? "validate" : run.getString("phase", "validate"),
          run == null ? 0 : run.getLong("enqueued", 0L));
      LOG.info("batch {}: taking over enqueueing after {} requests (the node doing it stopped)", id,
          claim.getLong("enqueued"));
      return records.putRun(id, claim).onSuccess(v -> runner.run(record, claim));
    }));
  }

  /**
   * Marks the batch finalizing (under the lock), then merges its parts into its files; true when it ended, false
   * when another node is at it or it is still short of distinct lines.
   */
  private Future<Boolean> finalize(String id, boolean cancelled, String missingCode) {
    return locked(id, () -> Future.all(records.get(id), records.run(id)).compose(both -> {
      JsonObject record = both.resultAt(0);
      JsonObject run = both.resultAt(1);
      if (record == null || Batch.ended(record) || Batch.FINALIZING.equals(Batch.status(record)) && !stale(run)) {
        return Future.<JsonObject>succeededFuture();
      }
      Batch.moveTo(record, Batch.FINALIZING, BatchRunner.now());
      return records.putRun(id, runner.claim("finalize", Batch.total(record))).compose(v -> records.put(record));
    })).compose(record -> record == null ? Future.succeededFuture(false)
        : finalizer.finish(record, cancelled, missingCode).map(done -> {
          if (done != null) {
            ended.add(id);
            shortAt.remove(id);
            remember(done);
          }
          return done != null;
        }));
  }

  /** Runs {@code step} holding the batch's cluster-wide lock; skips it when another node holds the lock. */
  private <T> Future<T> locked(String id, java.util.function.Supplier<Future<T>> step) {
    return vertx.sharedData().getLockWithTimeout("llmw.batch." + id, 1_000)
        .transform(ar -> ar.failed() ? Future.<T>succeededFuture()
            : step.get().eventually(() -> {
              ar.result().release();
              return Future.succeededFuture();
            }));
  }
}
