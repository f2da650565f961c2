package dev.llmworker.batch;

import dev.llmworker.store.StoredFiles;
import dev.llmworker.store.TimeIds;
import dev.llmworker.task.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Batches API's operations on the store, for the HTTP API and the dashboard: create (the batch answers at once
 * in {@code validating}; this node validates and enqueues it), retrieve with live counts, list, cancel, and the
 * output and error files.
 */
public final class BatchService {
  static final int MAX_METADATA = 16;

  private final io.vertx.core.Vertx vertx;
  private final BatchRecords records;
  private final StoredFiles files;
  private final BatchRunner runner;
  private final long windowSeconds;

  /** A request the API refuses: HTTP status and OpenAI's error fields. */
  public static final class Refused extends RuntimeException {
    public final int status;
    public final String param;
    public final String code;

    Refused(int status, String message, String param, String code) {
      super(message, null, false, false);
      this.status = status;
      this.param = param;
      this.code = code;
    }
  }

  /** One page of batches, newest first. */
  public record Page(List<JsonObject> data, boolean hasMore) {}

  BatchService(io.vertx.core.Vertx vertx, BatchRecords records, BatchRunner runner, long windowSeconds) {
    this.vertx = vertx;
    this.records = records;
    this.files = new StoredFiles(records.store());
    this.runner = runner;
    this.windowSeconds = windowSeconds;
  }

  /** {@code POST /v1/batches}. */
  public Future<JsonObject> create(JsonObject request) {
    String inputFileId = request.getValue("input_file_id") instanceof String s ? s : null;
    String endpoint = request.getValue("endpoint") instanceof String s ? s : null;
    Object window = request.getValue("completion_window");
    Object metadata = request.getValue("metadata");
    if (inputFileId == null) {
      return refused(400, "'input_file_id' is a required property (a string)", "input_file_id");
    }
    if (endpoint == null || Endpoint.of(endpoint) == null || !endpoint.startsWith("/v1/")) {
      return refused(400, "'endpoint' must be one of " + Endpoint.urls() + " (got " + quoted(endpoint) + ")",
          "endpoint");
    }
    if (!"24h".equals(window)) {
      return refused(400, "'completion_window' must be \"24h\" (got " + quoted(window) + ")", "completion_window");
    }
    String badMetadata = metadataProblem(metadata);
    if (badMetadata != null) {
      return refused(400, badMetadata, "metadata");
    }
    return files.get(inputFileId).compose(file -> {
      if (file == null) {
        return refused(400, "No such File object: '" + inputFileId + "'", "input_file_id");
      }
      if (!"batch".equals(file.getString("purpose"))) {
        return refused(400, "the file's purpose is '" + file.getString("purpose") + "', a batch needs 'batch'",
            "input_file_id");
      }
      long now = BatchRunner.now();
      JsonObject record = Batch.created(TimeIds.next("batch_"), inputFileId, endpoint,
          metadata instanceof JsonObject m ? m : null, now, windowSeconds);
      JsonObject claim = runner.claim("validate", 0);
      return records.putRun(record.getString("id"), claim)
          .compose(v -> records.put(record))
          .onSuccess(r -> runner.run(r.copy(), claim))
          .map(r -> Batch.view(r, null, now));
    });
  }

  /** {@code GET /v1/batches/{id}}: the batch, its counts read from what has been collected so far; null if none. */
  public Future<JsonObject> get(String id) {
    return records.get(id).compose(record -> record == null ? Future.succeededFuture() : view(record));
  }

  /** {@code GET /v1/batches?limit=&after=}. */
  public Future<Page> list(int limit, String after) {
    return records.ids().compose(ids -> {
      int start = after == null ? 0 : ids.indexOf(after) + 1;
      List<String> page = ids.subList(Math.min(start, ids.size()), Math.min(start + limit, ids.size()));
      boolean more = start + page.size() < ids.size();
      return Future.all(page.stream().map(this::get).toList())
          .map(all -> new Page(all.<JsonObject>list().stream().filter(java.util.Objects::nonNull).toList(), more));
    });
  }

  /** {@code POST /v1/batches/{id}/cancel}: {@code cancelling} until the lines running now are done. */
  public Future<JsonObject> cancel(String id) {
    return records.get(id).compose(record -> {
      if (record == null) {
        return refused(404, "No such batch: '" + id + "'", "batch_id");
      }
      if (Batch.ended(record)) {
        return refused(409, "Cannot cancel a batch with status '" + Batch.status(record) + "'", null);
      }
      long now = BatchRunner.now();
      return records.cancelledAt(id)
          .compose(at -> at != null ? Future.succeededFuture() : records.putCancel(id, now))
          .compose(v -> BatchStops.announce(vertx, id, BatchStops.CANCELLED).otherwiseEmpty())
          .compose(v -> get(id));
    });
  }

  /** Copies a batch's output ({@code errors} false) or error file to {@code target}; false when it has none. */
  public Future<Boolean> download(String id, boolean errors, Path target) {
    return records.get(id).compose(record -> {
      String fileId = record == null ? null : record.getString(errors ? "error_file_id" : "output_file_id");
      return fileId == null ? Future.succeededFuture(false) : files.content(fileId, target).map(true);
    });
  }

  private Future<JsonObject> view(JsonObject record) {
    if (Batch.ended(record)) {
      return Future.succeededFuture(Batch.view(record, null, BatchRunner.now()));
    }
    String id = record.getString("id");
    return Future.all(records.totals(id), records.cancelledAt(id)).map(both -> {
      Long cancelledAt = both.resultAt(1);
      JsonObject view = Batch.view(record, both.resultAt(0), BatchRunner.now());
      if (cancelledAt != null && !Batch.FINALIZING.equals(Batch.status(view))) {
        view.put("status", Batch.CANCELLING).put("cancelling_at", cancelledAt);
      }
      return view;
    });
  }

  private static String metadataProblem(Object metadata) {
    if (metadata == null) {
      return null;
    }
    if (!(metadata instanceof JsonObject m)) {
      return "'metadata' must be an object of strings";
    }
    if (m.size() > MAX_METADATA) {
      return "'metadata' may have at most " + MAX_METADATA + " keys";
    }
    for (Map.Entry<String, Object> e : m) {
      if (e.getKey().length() > 64) {
        return "'metadata' keys may have at most 64 characters";
      }
      if (!(e.getValue() instanceof String s) || s.length() > 512) {
        return "'metadata' values must be strings of at most 512 characters (key '" + e.getKey() + "')";
      }
    }
    return null;
  }

  private static String quoted(Object value) {
    return value == null ? "nothing" : "\"" + value + "\"";
  }

  private static <T> Future<T> refused(int status, String message, String param) {
    return Future.failedFuture(new Refused(status, message, param, null));
  }
}
