package dev.llmworker.batch;

import dev.llmworker.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * Where a batch lives in the store: its record ({@code batches/records/<id>.json}: the batch object OpenAI's API
 * returns) and the parts its results are collected into
 * ({@code batches/parts/<id>/...}). Every node reads and writes the same objects: nothing about a batch is in one
 * node's memory only.
 */
final class BatchRecords {
  private static final String RECORDS = "batches/records/";
  private static final String PARTS = "batches/parts/";
  private static final String RUNS = "batches/run/";
  private static final String CANCELS = "batches/cancels/";

  private static final int ATTEMPTS = 5;
  private static final long RETRY_MS = 50;

  private final io.vertx.core.Vertx vertx;
  private final ObjectStore store;

  BatchRecords(io.vertx.core.Vertx vertx, ObjectStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  ObjectStore store() {
    return store;
  }

  /** The record, or null when there is none. */
  Future<JsonObject> get(String id) {
    if (!Batch.validId(id)) {
      return Future.succeededFuture(null);
    }
    return json(RECORDS + id + ".json");
  }

  /** A JSON object, or null when there is none. */
  private Future<JsonObject> json(String key) {
    return again(() -> store.getBytes(key).map(b -> b == null ? null : b.toJsonObject()), ATTEMPTS);
  }

  /**
   * Some stores fail a read of an object being replaced, or answer its new bytes cut at the old length, and fail one
   * of two writes of the same object at once (the embedded S3Proxy's directory backend does all three): records,
   * runs and cancel marks are read and written again shortly when that happens.
   */
  private <T> Future<T> again(java.util.function.Supplier<Future<T>> step, int attempts) {
    return step.get().recover(e -> attempts > 1
        ? vertx.timer(RETRY_MS).compose(v -> again(step, attempts - 1))
        : Future.failedFuture(e));
  }

  Future<JsonObject> put(JsonObject record) {
    return again(() -> store.putBytes(RECORDS + record.getString("id") + ".json", record.toBuffer(),
        "application/json"), ATTEMPTS).map(record);
  }

  /**
   * Who enqueues (or finalizes) the batch and how far it got: {@code owner}, {@code heartbeat_at} (epoch s),
   * {@code phase} (validate, enqueue, sent, finalize) and {@code enqueued}. An object of its own, so that its
   * frequent writes never race the record's. Null when there is none.
   */
  Future<JsonObject> run(String id) {
    return json(RUNS + id + ".json");
  }

  Future<Void> putRun(String id, JsonObject run) {
    return again(() -> store.putBytes(RUNS + id + ".json", run.toBuffer(), "application/json"), ATTEMPTS);
  }

  /** When a cancel was asked for (epoch s), or null: a marker of its own, written by whichever node got the call. */
  Future<Long> cancelledAt(String id) {
    return json(CANCELS + id + ".json").map(o -> o == null ? null : o.getLong("at"));
  }

  Future<Void> putCancel(String id, long at) {
    return again(() -> store.putBytes(CANCELS + id + ".json", new JsonObject().put("at", at).toBuffer(),
        "application/json"), ATTEMPTS);
  }

  /** Ids of every batch, newest first. */
  Future<List<String>> ids() {
    return store.list(RECORDS)
        .map(entries -> entries.stream().map(ObjectStore.Entry::key).filter(k -> k.endsWith(".json"))
            .map(k -> k.substring(RECORDS.length(), k.length() - ".json".length()))
            .sorted(Comparator.reverseOrder()).toList());
  }

  /** Stores a part of collected result lines; its totals are in its name. */
  Future<Void> putPart(String id, String unique, Buffer lines, PartTotals totals) {
    return store.putBytes(PARTS + id + "/" + totals.name(unique), lines, "application/jsonl");
  }

  /** The keys of a batch's parts. */
  Future<List<String>> parts(String id) {
    return store.list(PARTS + id + "/").map(entries -> entries.stream().map(ObjectStore.Entry::key).toList());
  }

  /** The sum of the totals of a batch's parts: its progress, duplicates (redeliveries) included. */
  Future<PartTotals> totals(String id) {
    return parts(id).map(keys -> keys.stream().map(PartTotals::parse).reduce(PartTotals.ZERO, PartTotals::plus));
  }

  Future<Void> downloadPart(String key, Path target) {
    return store.download(key, target);
  }

  /** Removes a finished batch's parts and run (its output and error files hold their lines now). */
  Future<Void> cleanUp(String id) {
    return parts(id).compose(keys -> Future.join(keys.stream().map(store::delete).toList()))
        .compose(v -> store.delete(RUNS + id + ".json")).mapEmpty();
  }
}
