package dev.llmworker.api;

import dev.llmworker.batch.BatchService;
import dev.llmworker.monitor.HttpJson;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The dashboard's Batches view, behind the monitor's token (the {@code /api/} guards, mounted before): every batch
 * with its progress, cancel, and the output and error files.
 */
public final class BatchesView {
  /** The dashboard lists at most this many batches, newest first. */
  private static final int SHOWN = 100;
  private final BatchService batches;
  private final StoredDownload download;

  public BatchesView(Vertx vertx, BatchService batches, String tmpDir) {
    this.batches = batches;
    this.download = new StoredDownload(vertx, tmpDir);
  }

  public void mount(Router router) {
    router.get("/api/batches").handler(this::list);
    router.post("/api/batches/:id/cancel").handler(this::cancel);
    router.get("/api/batches/:id/output").handler(ctx -> file(ctx, false));
    router.get("/api/batches/:id/errors").handler(ctx -> file(ctx, true));
  }

  private void list(RoutingContext ctx) {
    batches.list(SHOWN, null)
        .onSuccess(page -> HttpJson.send(ctx, 200, new JsonObject().put("batches", new JsonArray(page.data()))))
        .onFailure(e -> HttpJson.error(ctx, 500, "the batch store failed: " + e.getMessage()));
  }

  private void cancel(RoutingContext ctx) {
    batches.cancel(ctx.pathParam("id")).onSuccess(batch -> HttpJson.send(ctx, 200, batch))
        .onFailure(e -> HttpJson.error(ctx, e instanceof BatchService.Refused r ? r.status : 500, e.getMessage()));
  }

  private void file(RoutingContext ctx, boolean errors) {
    String id = ctx.pathParam("id");
    String kind = errors ? "error" : "output";
    download.send(ctx, id + "." + (errors ? "errors" : "output") + ".jsonl", tmp -> batches.download(id, errors, tmp))
        .onSuccess(sent -> {
          if (!sent) {
            HttpJson.error(ctx, 404, "batch " + id + " has no " + kind + " file yet");
          }
        })
        .onFailure(e -> {
          if (!ctx.response().headWritten()) {
            HttpJson.error(ctx, 500, "could not read the file: " + e.getMessage());
          }
        });
  }
}
