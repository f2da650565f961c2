package dev.llmworker.monitor;

import dev.llmworker.sqs.DeadLetter;
import dev.llmworker.sqs.DeadLetterQueue;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The dashboard's read endpoints: stats, chart history, failure search and the DLQ browser. Looking at the DLQ
 * receives its messages (and so counts a receive on each), so it is a POST, with a JSON body: no GET changes
 * anything, and a page on another site cannot send such a request without the browser asking first.
 */
final class ReadApi {
  static final int DLQ_PEEK_DEFAULT = 20;
  static final int DLQ_PEEK_MAX = 100;

  private final Supplier<JsonObject> stats;
  private final Supplier<JsonArray> history;
  private final Function<String, JsonArray> failures;
  private final DeadLetterQueue dlq;
  private final Supplier<JsonObject> queues;

  ReadApi(Supplier<JsonObject> stats, Supplier<JsonArray> history, Function<String, JsonArray> failures,
      DeadLetterQueue dlq, Supplier<JsonObject> queues) {
    this.stats = stats;
    this.history = history;
    this.failures = failures;
    this.dlq = dlq;
    this.queues = queues;
  }

  void mount(Router router) {
    router.get("/api/stats").handler(ctx -> HttpJson.send(ctx, 200, stats.get()));
    router.get("/api/history").handler(ctx -> HttpJson.send(ctx, 200, new JsonObject().put("interval_s", 1)
        .put("points", history.get())));
    router.get("/api/failures").handler(ctx -> HttpJson.send(ctx, 200, new JsonObject()
        .put("failures", failures.apply(query(ctx, "custom_id")))));
    router.post("/api/dlq/peek").handler(BodyHandler.create().setBodyLimit(1024)).handler(this::peek);
  }

  private void peek(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      HttpJson.error(ctx, 415, "send a JSON body, e.g. {\"max\": 20}, with Content-Type: application/json");
      return;
    }
    JsonObject body;
    try {
      body = ctx.body().isEmpty() ? new JsonObject() : ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    Object given = body == null ? null : body.getValue("max", DLQ_PEEK_DEFAULT);
    int max = given instanceof Integer i ? i : -1;
    if (max < 1 || max > DLQ_PEEK_MAX) {
      HttpJson.error(ctx, 400, "expected a JSON object whose 'max' is a whole number from 1 to " + DLQ_PEEK_MAX);
      return;
    }
    dlq.peek(max)
        .onSuccess(list -> HttpJson.send(ctx, 200, new JsonObject()
            .put("approximate_total", queues.get().getJsonObject("dlq", new JsonObject()).getLong("visible", 0L))
            .put("messages", new JsonArray(list.stream().map(DeadLetter::toJson).toList()))))
        .onFailure(e -> HttpJson.error(ctx, 502, "could not read the dead-letter queue: " + e.getMessage()));
  }

  private static String query(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null ? "" : v;
  }
}
