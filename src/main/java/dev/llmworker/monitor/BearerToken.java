package dev.llmworker.monitor;

import dev.llmworker.net.BearerSecrets;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Guards the API with {@code Authorization: Bearer <monitor.token>}, compared in constant time (on digests, so not
 * even the token's length leaks). As a handler it guards the control actions: without a configured token every
 * control answers 403, the controls are off, never open. {@link #reads()} guards what shows task content: with a
 * token it needs it too; without one (a loopback or explicitly open monitor) it lets reads through.
 */
final class BearerToken implements Handler<RoutingContext> {
  private final BearerSecrets secrets;

  BearerToken(String token) {
    this.secrets = new BearerSecrets(token == null || token.isEmpty() ? List.of() : List.of(token));
  }

  boolean enabled() {
    return !secrets.none();
  }

  /** The guard of the read endpoints. */
  Handler<RoutingContext> reads() {
    return ctx -> {
      if (secrets.none()) {
        ctx.next();
      } else {
        check(ctx);
      }
    };
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (secrets.none()) {
      HttpJson.error(ctx, 403, "controls are disabled: start llm-worker with monitor.token set "
          + "(LLMW_MONITOR_TOKEN)");
      return;
    }
    check(ctx);
  }

  private void check(RoutingContext ctx) {
    switch (secrets.check(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      case MISSING -> unauthorized(ctx, "this needs the header 'Authorization: Bearer <monitor.token>'");
      case WRONG -> unauthorized(ctx, "wrong token");
      case KNOWN -> ctx.next();
    }
  }

  private static void unauthorized(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"llm-worker\"");
    HttpJson.error(ctx, 401, message);
  }
}
