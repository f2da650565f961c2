package dev.llmworker.monitor;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON answers of the monitor's API, never cached. */
final class HttpJson {
  private HttpJson() {}

  static void send(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body instanceof JsonObject j ? j.encode() : String.valueOf(body));
  }

  static void error(RoutingContext ctx, int status, String message) {
    send(ctx, status, new JsonObject().put("error", message));
  }
}
