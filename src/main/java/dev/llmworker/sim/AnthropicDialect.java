package dev.llmworker.sim;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/** Anthropic's API ({@code x-api-key}, {@code anthropic-version}); its one endpoint is {@link AnthropicMessages}. */
final class AnthropicDialect implements Dialect {
  static final String VERSION = "anthropic-version";
  static final String REQUEST_ID = "request-id";
  static final int OVERLOADED = 529;

  /** "" = no key check. */
  private final String apiKey;

  AnthropicDialect(String apiKey) {
    this.apiKey = apiKey;
  }

  @Override
  public Refusal check(RoutingContext ctx) {
    if (Dialect.header(ctx, VERSION) == null) {
      return new Refusal(400, Kind.INVALID_REQUEST, VERSION + ": header is required");
    }
    if (apiKey.isEmpty()) {
      return null;
    }
    String given = Dialect.header(ctx, "x-api-key");
    if (given == null) {
      return new Refusal(401, Kind.AUTHENTICATION, "x-api-key header is required");
    }
    return Dialect.sameSecret(apiKey, given) ? null : new Refusal(401, Kind.AUTHENTICATION, "invalid x-api-key");
  }

  /** Anthropic reports overload as its own 529 where other providers say 503. */
  @Override
  public int wireStatus(int status) {
    return status == 503 ? OVERLOADED : status;
  }

  @Override
  public void putSuccessHeaders(MultiMap headers, String tag) {
    headers.set(REQUEST_ID, "req_sim_" + tag);
  }

  @Override
  public void sendError(HttpServerResponse response, int status, Kind kind, String message, long retryAfterMs) {
    if (retryAfterMs > 0) {
      response.putHeader("retry-after", Dialect.retryAfterSeconds(retryAfterMs));
    }
    JsonObject body = new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", type(status)).put("message", message));
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }

  static String type(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case OVERLOADED -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  /** Anthropic's reset is a time of day, not a duration: when the window is empty again, to the second. */
  @Override
  public void putRateHeaders(RateLimits limits, long nowMs, MultiMap headers) {
    long wallMs = System.currentTimeMillis();
    put(headers, "requests", limits.requests(nowMs), wallMs);
    put(headers, "tokens", limits.tokens(nowMs), wallMs);
  }

  private static void put(MultiMap headers, String what, RateLimits.Usage usage, long wallMs) {
    if (usage == null) {
      return;
    }
    long resetSeconds = (wallMs + usage.resetMs() + 999) / 1000; // rounded up: never earlier than the real reset
    String prefix = "anthropic-ratelimit-" + what + "-";
    headers.set(prefix + "limit", String.valueOf(usage.limit()))
        .set(prefix + "remaining", String.valueOf(usage.remaining()))
        .set(prefix + "reset", Instant.ofEpochSecond(resetSeconds).toString());
  }
}
