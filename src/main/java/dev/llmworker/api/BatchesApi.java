package dev.llmworker.api;

import dev.llmworker.batch.BatchService;
import dev.llmworker.monitor.HttpJson;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * OpenAI's Batches API ({@code /v1/batches}): create, retrieve, list, cancel, with OpenAI's objects, statuses and
 * error bodies, behind the same {@code api.tokens} as the Files API (mounted after it).
 */
public final class BatchesApi {
  private static final int MAX_BODY = 64 * 1024;
  private final BatchService batches;

  public BatchesApi(BatchService batches) {
    this.batches = batches;
  }

  public void mount(Router router) {
    router.post("/v1/batches").handler(BodyHandler.create().setBodyLimit(MAX_BODY)).handler(this::create);
    router.get("/v1/batches").handler(this::list);
    router.get("/v1/batches/:id").handler(this::retrieve);
    router.post("/v1/batches/:id/cancel").handler(this::cancel);
  }

  private void create(RoutingContext ctx) {
    JsonObject request;
    try {
      request = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      request = null;
    }
    if (request == null) {
      OpenAiError.send(ctx, 400, "the body must be a JSON object: {\"input_file_id\", \"endpoint\", "
          + "\"completion_window\": \"24h\", \"metadata\"}", null, null);
      return;
    }
    batches.create(request).onSuccess(batch -> HttpJson.send(ctx, 200, batch)).onFailure(e -> fail(ctx, e));
  }

  private void retrieve(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    batches.get(id).onSuccess(batch -> {
      if (batch == null) {
        OpenAiError.notFound(ctx, "batch", id);
      } else {
        HttpJson.send(ctx, 200, batch);
      }
    }).onFailure(e -> fail(ctx, e));
  }

  /** {@code ?limit=} 1 to 100 (default 20) {@code &after=<id>}: newest first, as OpenAI lists. */
  private void list(RoutingContext ctx) {
    int limit = OpenAiError.limit(ctx, 20, 100);
    if (limit < 0) {
      return;
    }
    batches.list(limit, ctx.request().getParam("after"))
        .onSuccess(page -> HttpJson.send(ctx, 200, FilesApi.Page.of(page.data(), page.hasMore())))
        .onFailure(e -> fail(ctx, e));
  }

  private void cancel(RoutingContext ctx) {
    batches.cancel(ctx.pathParam("id")).onSuccess(batch -> HttpJson.send(ctx, 200, batch))
        .onFailure(e -> fail(ctx, e));
  }

  private static void fail(RoutingContext ctx, Throwable e) {
    if (e instanceof BatchService.Refused r) {
      OpenAiError.send(ctx, r.status, r.getMessage(), r.param, r.code);
    } else {
      OpenAiError.send(ctx, 500, "the batch store failed: " + e.getMessage(), null, null);
    }
  }
}
