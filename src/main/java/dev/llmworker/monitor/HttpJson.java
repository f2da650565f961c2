package dev.llmworker.monitor;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON answers of the monitor's HTTP APIs (the dashboard's and the Batch API), never cached. */
public final class HttpJson {
  private HttpJson() {}

  public static void send(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body instanceof JsonObject j ? j.encode() : String.valueOf(body));
  }

  public static void error(RoutingContext ctx, int status, String message) {
    send(ctx, status, new JsonObject().put("error", message));
  }
}
