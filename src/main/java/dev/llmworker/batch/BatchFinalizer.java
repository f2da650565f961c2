package dev.llmworker.batch;

import dev.llmworker.store.StoredFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a batch: its parts are merged ({@link BatchMerge}) into the output and error files, stored as Files API
 * objects with ids derived from the batch's (so that a finalization repeated by another node after a crash writes
 * the same files), then the record gets its end status, exact counts and file ids, and the parts are removed.
 */
final class BatchFinalizer {
  private static final Logger LOG = LoggerFactory.getLogger(BatchFinalizer.class);

  private final Vertx vertx;
  private final BatchRecords records;
  private final StoredFiles files;
  private final Path workDir;

  BatchFinalizer(Vertx vertx, BatchRecords records, Path workDir) {
    this.vertx = vertx;
    this.records = records;
    this.files = new StoredFiles(records.store());
    this.workDir = workDir;
  }

  /**
   * @param record      the batch, status {@code finalizing} already stored
   * @param cancelled   a cancel was asked for: the end status is {@code cancelled}
   * @param missingCode lines with no result yet get an error line with this code; null when every line should
   *                    have one
   * @return the ended batch; null when, without {@code missingCode}, fewer distinct lines than the batch's total
   *     were collected (the parts' counts reached it through repeated lines): the batch is back in progress
   */
  Future<JsonObject> finish(JsonObject record, boolean cancelled, String missingCode) {
    String id = record.getString("id");
    return vertx.executeBlocking(() -> Files.createTempDirectory(Files.createDirectories(workDir), id), false)
        .compose(dir -> merge(record, dir, missingCode)
            .compose(merged -> missingCode == null && merged.counts().completed() + merged.counts().failed()
                < Batch.total(record) ? notYet(record, merged) : store(record, dir, merged, cancelled))
            .eventually(() -> vertx.fileSystem().deleteRecursive(dir.toString())))
        .compose(done -> done == null ? Future.succeededFuture()
            : BatchStops.forget(vertx, id).otherwiseEmpty()
                .compose(v -> records.cleanUp(id).otherwiseEmpty())
                .map(done)
                .onSuccess(v -> LOG.info("batch {} {}: {} completed, {} failed", id, Batch.status(done),
                    done.getJsonObject("request_counts").getLong("completed"),
                    done.getJsonObject("request_counts").getLong("failed"))));
  }

  /** Not every line has a result yet: back to {@code in_progress}, to be tried again when more come in. */
  private Future<JsonObject> notYet(JsonObject record, MergedBatch merged) {
    String id = record.getString("id");
    LOG.info("batch {}: {} distinct lines of {} collected (the rest were repeats); waiting for the others", id,
        merged.counts().completed() + merged.counts().failed(), Batch.total(record));
    record.put("status", Batch.IN_PROGRESS).putNull("finalizing_at");
    return records.putRun(id, new JsonObject().put("owner", "").put("heartbeat_at", BatchRunner.now())
            .put("phase", "sent").put("enqueued", Batch.total(record)))
        .compose(v -> records.put(record))
        .map((JsonObject) null);
  }

  private Future<MergedBatch> merge(JsonObject record, Path dir, String missingCode) {
    String id = record.getString("id");
    return records.parts(id).compose(keys -> download(keys, dir).compose(parts -> {
      Path input = dir.resolve("input.jsonl");
      Future<Void> inputReady = missingCode == null ? Future.succeededFuture()
          : files.content(record.getString("input_file_id"), input);
      PartTotals totals = keys.stream().map(PartTotals::parse).reduce(PartTotals.ZERO, PartTotals::plus);
      return inputReady.compose(v -> vertx.executeBlocking(() -> BatchMerge.run(parts, input, missingCode,
          dir.resolve("output.jsonl"), dir.resolve("errors.jsonl")), false))
          .map(counts -> new MergedBatch(counts, totals));
    }));
  }

  /** Downloads the parts one after the other (bounded connections and disk writes). */
  private Future<List<Path>> download(List<String> keys, Path dir) {
    List<Path> paths = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < keys.size(); i++) {
      Path target = dir.resolve("part-" + i + ".jsonl");
      String key = keys.get(i);
      paths.add(target);
      chain = chain.compose(v -> records.downloadPart(key, target));
    }
    return chain.map(paths);
  }

  private record MergedBatch(BatchMerge.Counts counts, PartTotals totals) {}

  private Future<JsonObject> store(JsonObject record, Path dir, MergedBatch merged, boolean cancelled) {
    String id = record.getString("id");
    String suffix = id.substring("batch_".length());
    BatchMerge.Counts counts = merged.counts();
    Future<String> output = counts.completed() == 0 ? Future.succeededFuture(null)
        : upload("file-" + suffix + "out", dir.resolve("output.jsonl"), id + "_output.jsonl");
    Future<String> errors = counts.failed() == 0 ? Future.succeededFuture(null)
        : output.compose(v -> upload("file-" + suffix + "err", dir.resolve("errors.jsonl"), id + "_error.jsonl"));
    return Future.all(output, errors).compose(v -> {
      long now = BatchRunner.now();
      String status = cancelled ? Batch.CANCELLED : counts.expired() > 0 ? Batch.EXPIRED : Batch.COMPLETED;
      long total = Batch.total(record);
      record.put("output_file_id", output.result()).put("error_file_id", errors.result())
          .put("request_counts", Batch.counts(total, counts.completed(), counts.failed()));
      if (cancelled && record.getValue("cancelling_at") == null) {
        record.put("cancelling_at", now);
      }
      Batch.moveTo(record, status, now);
      JsonObject view = Batch.view(record, new PartTotals(counts.completed(), counts.failed(),
          merged.totals().promptTokens(), merged.totals().completionTokens(), merged.totals().costMicros()), now);
      return records.put(record.put("llmw", view.getJsonObject("llmw")));
    });
  }

  private Future<String> upload(String fileId, Path path, String filename) {
    return vertx.fileSystem().props(path.toString())
        .compose(props -> files.add(fileId, path, props.size(), filename, "batch_output"))
        .map(file -> fileId);
  }
}
