package dev.llmworker.batch;

import dev.llmworker.store.StoredFiles;
import dev.llmworker.store.TimeIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a batch from {@code validating} to all its lines on the tasks queue: downloads the input file, validates
 * every line (an invalid file fails the batch, nothing is enqueued), then enqueues a chunk at a time, writing how far
 * it got and a heartbeat to the batch's run object. If this node dies, another one sees the heartbeat stop and
 * goes on after the last chunk written ({@link BatchSweeper}).
 */
final class BatchRunner {
  private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);
  static final long HEARTBEAT_MS = 10_000;

  private final Vertx vertx;
  private final BatchRecords records;
  private final StoredFiles files;
  private final BatchEnqueuer enqueuer;
  private final String owner;
  private final Path workDir;

  BatchRunner(Vertx vertx, BatchRecords records, BatchEnqueuer enqueuer, String owner, Path workDir) {
    this.vertx = vertx;
    this.records = records;
    this.files = new StoredFiles(records.store());
    this.enqueuer = enqueuer;
    this.owner = owner;
    this.workDir = workDir;
  }

  /** A run object for this node, starting (or going on) at {@code phase} after {@code enqueued} lines. */
  JsonObject claim(String phase, long enqueued) {
    return new JsonObject().put("owner", owner).put("heartbeat_at", now()).put("phase", phase)
        .put("enqueued", enqueued);
  }

  /** Runs the batch's validation (if not done) and enqueueing, from where {@code run} says. */
  Future<Void> run(JsonObject record, JsonObject run) {
    String id = record.getString("id");
    Progress progress = new Progress(id, run);
    long heartbeat = vertx.setPeriodic(HEARTBEAT_MS, t -> progress.beat());
    return vertx.executeBlocking(() -> Files.createTempFile(Files.createDirectories(workDir), id, ".jsonl"), false)
        .compose(input -> files.content(record.getString("input_file_id"), input)
            .compose(v -> Batch.VALIDATING.equals(Batch.status(record)) ? validate(record, input)
                : Future.succeededFuture(record))
            .compose(valid -> Batch.IN_PROGRESS.equals(Batch.status(valid)) ? enqueue(valid, input, progress)
                : Future.succeededFuture())
            .eventually(() -> vertx.fileSystem().delete(input.toString())))
        .recover(e -> inputGone(record, e))
        .onComplete(ar -> vertx.cancelTimer(heartbeat))
        .onFailure(e -> LOG.error("batch {}: enqueueing stopped ({}); a node takes over once its heartbeat is "
            + "{} s old", id, e.getMessage(), BatchSweeper.STALE_SECONDS));
  }

  private Future<JsonObject> validate(JsonObject record, Path input) {
    return vertx.executeBlocking(() -> enqueuer.validate(input, record.getString("endpoint")), false)
        .compose(validation -> {
          long now = now();
          if (!validation.valid()) {
            LOG.info("batch {} failed validation: {} errors", record.getString("id"),
                validation.errors().getJsonArray("data").size());
            return records.put(Batch.moveTo(record.put("errors", validation.errors()), Batch.FAILED, now))
                .compose(r -> records.cleanUp(r.getString("id")).map(r));
          }
          record.put("request_counts", Batch.counts(validation.requests(), 0, 0));
          return records.put(Batch.moveTo(record, Batch.IN_PROGRESS, now));
        });
  }

  private Future<Void> enqueue(JsonObject record, Path input, Progress progress) {
    String id = record.getString("id");
    long expires = record.getLong("expires_at");
    progress.phase("enqueue");
    return vertx.executeBlocking(() -> enqueuer.enqueue(input, record.getString("endpoint"), id, expires,
            progress.enqueued(), progress::chunkDone), false)
        .compose(refused -> refused.lines().isEmpty() ? Future.succeededFuture()
            : records.putPart(id, TimeIds.next("p"), Buffer.buffer(String.join("\n", refused.lines()) + "\n"),
                new PartTotals(0, refused.lines().size(), 0, 0, 0)))
        .compose(v -> {
          progress.phase("sent");
          LOG.info("batch {}: {} requests enqueued", id, progress.enqueued());
          return progress.write();
        });
  }

  /** The input file was deleted before it could be read: the batch fails saying so. */
  private Future<Void> inputGone(JsonObject record, Throwable e) {
    if (!dev.llmworker.store.ObjectStore.notFound(e)) {
      return Future.failedFuture(e);
    }
    JsonObject error = new JsonObject().put("code", "file_not_found").put("message", "the input file "
        + record.getString("input_file_id") + " no longer exists").putNull("param").putNull("line");
    record.put("errors", new JsonObject().put("object", "list").put("data", new JsonArray().add(error)));
    return records.put(Batch.moveTo(record, Batch.FAILED, now())).mapEmpty();
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** How far this node got, written at each chunk and heartbeat; safe to call from the enqueueing thread. */
  private final class Progress {
    private final String id;
    private final AtomicLong enqueued;
    private volatile String phase;

    Progress(String id, JsonObject run) {
      this.id = id;
      this.enqueued = new AtomicLong(run.getLong("enqueued", 0L));
      this.phase = run.getString("phase", "validate");
    }

    long enqueued() {
      return enqueued.get();
    }

    void phase(String value) {
      phase = value;
    }

    void beat() {
      write();
    }

    /** On the enqueueing thread: waits until the store has the count; a crash resends at most the chunk under way. */
    void chunkDone(long count) {
      enqueued.set(count);
      write().toCompletionStage().toCompletableFuture().join();
    }

    Future<Void> write() {
      return records.putRun(id, claim(phase, enqueued.get()));
    }
  }
}
