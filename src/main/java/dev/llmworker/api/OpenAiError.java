package dev.llmworker.api;

import dev.llmworker.monitor.HttpJson;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Errors in the shape OpenAI's API and SDKs use: {@code {"error": {message, type, param, code}}}. */
final class OpenAiError {
  private OpenAiError() {}

  static void send(RoutingContext ctx, int status, String message, String param, String code) {
    String type = status == 401 || status == 403 ? "invalid_request_error"
        : status >= 500 ? "server_error" : "invalid_request_error";
    HttpJson.send(ctx, status, new JsonObject().put("error", new JsonObject().put("message", message)
        .put("type", type).put("param", param).put("code", code)));
  }

  /**
   * A list's {@code ?limit=} (default {@code byDefault}, 1 to {@code max}), or -1 after answering 400: OpenAI's
   * rule for every list.
   */
  static int limit(RoutingContext ctx, int byDefault, int max) {
    int limit;
    try {
      limit = Integer.parseInt(ctx.request().getParam("limit", Integer.toString(byDefault)));
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > max) {
      send(ctx, 400, "'limit' must be an integer from 1 to " + max, "limit", null);
      return -1;
    }
    return limit;
  }

  static void notFound(RoutingContext ctx, String what, String id) {
    send(ctx, 404, "No such " + what + ": '" + id + "'", "id", null);
  }
}
