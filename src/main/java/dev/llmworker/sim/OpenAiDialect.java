package dev.llmworker.sim;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** OpenAI's API ({@code /v1/...} with a Bearer key): the simulator's original dialect, and the base of Azure's. */
class OpenAiDialect implements Dialect {
  static final String REQUEST_ID = "x-request-id";

  /** "" = no key check. */
  protected final String apiKey;

  OpenAiDialect(String apiKey) {
    this.apiKey = apiKey;
  }

  @Override
  public Refusal check(RoutingContext ctx) {
    if (apiKey.isEmpty()) {
      return null;
    }
    String authorization = Dialect.header(ctx, "Authorization");
    if (authorization == null) {
      return new Refusal(401, Kind.AUTHENTICATION, "You didn't provide an API key. You need to provide your API "
          + "key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
    }
    String given = authorization.startsWith("Bearer ") ? authorization.substring("Bearer ".length()) : null;
    return Dialect.sameSecret(apiKey, given) ? null
        : new Refusal(401, Kind.AUTHENTICATION, "Incorrect API key provided.");
  }

  @Override
  public void putSuccessHeaders(MultiMap headers, String tag) {
    headers.set(REQUEST_ID, "req_" + tag);
  }

  @Override
  public void sendError(HttpServerResponse response, int status, Kind kind, String message, long retryAfterMs) {
    if (retryAfterMs > 0) {
      response.putHeader("Retry-After", Dialect.retryAfterSeconds(retryAfterMs))
          .putHeader("retry-after-ms", String.valueOf(retryAfterMs));
    }
    String type = switch (kind) {
      case REQUESTS_LIMIT -> "requests";
      case TOKENS_LIMIT -> "tokens";
      case SIMULATED -> status == 429 ? "requests" : status >= 500 ? OpenAiError.SERVER_ERROR
          : OpenAiError.INVALID_REQUEST;
      default -> OpenAiError.INVALID_REQUEST;
    };
    String code = status == 429 ? OpenAiError.RATE_LIMIT_CODE : kind == Kind.AUTHENTICATION ? "invalid_api_key"
        : null;
    OpenAiError.send(response, status, message, type, code);
  }

  @Override
  public void putRateHeaders(RateLimits limits, long nowMs, MultiMap headers) {
    limits.putHeaders(nowMs, headers);
  }
}
