package dev.llmworker.monitor;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** {@code GET /api/events}: server-sent events carrying a stats snapshot about once a second. */
final class StatsEvents implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final Supplier<JsonObject> stats;

  StatsEvents(Vertx vertx, Supplier<JsonObject> stats) {
    this.vertx = vertx;
    this.stats = stats;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response()
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-store")
        .setChunked(true);
    send(response);
    long timer = vertx.setPeriodic(1000, id -> send(response));
    response.closeHandler(v -> vertx.cancelTimer(timer));
    response.exceptionHandler(e -> vertx.cancelTimer(timer));
  }

  private void send(HttpServerResponse response) {
    if (!response.closed()) {
      response.write("event: stats\ndata: " + stats.get().encode() + "\n\n");
    }
  }
}
