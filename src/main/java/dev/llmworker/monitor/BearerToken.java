package dev.llmworker.monitor;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Guards the API with {@code Authorization: Bearer <monitor.token>}, compared in constant time (on digests, so not
 * even the token's length leaks). As a handler it guards the control actions: without a configured token every
 * control answers 403, the controls are off, never open. {@link #reads()} guards what shows task content: with a
 * token it needs it too; without one (a loopback or explicitly open monitor) it lets reads through.
 */
final class BearerToken implements Handler<RoutingContext> {
  private static final String PREFIX = "Bearer ";
  private final byte[] expected;

  BearerToken(String token) {
    this.expected = token == null || token.isEmpty() ? null : digest(token);
  }

  boolean enabled() {
    return expected != null;
  }

  /** The guard of the read endpoints. */
  Handler<RoutingContext> reads() {
    return ctx -> {
      if (expected == null) {
        ctx.next();
      } else {
        check(ctx);
      }
    };
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (expected == null) {
      HttpJson.error(ctx, 403, "controls are disabled: start llm-worker with monitor.token set "
          + "(LLMW_MONITOR_TOKEN)");
      return;
    }
    check(ctx);
  }

  private void check(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      unauthorized(ctx, "this needs the header 'Authorization: Bearer <monitor.token>'");
    } else if (!MessageDigest.isEqual(expected, digest(header.substring(PREFIX.length()).trim()))) {
      unauthorized(ctx, "wrong token");
    } else {
      ctx.next();
    }
  }

  private static void unauthorized(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"llm-worker\"");
    HttpJson.error(ctx, 401, message);
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
