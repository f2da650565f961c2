package dev.llmworker.sim;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * How one provider talks, whatever the endpoint: credentials, the model in the URL, error bodies, status names
 * and rate-limit headers. {@link SimulatedCallHandler} owns everything that must behave the same whatever the
 * format (limits, chance, directives, timing, stats) and an {@link Operation} the endpoint's bodies; a dialect only
 * translates, so a client contract test sees the same simulated world through each provider's shape.
 */
interface Dialect {
  /** What went wrong, in provider-neutral terms; each dialect picks its own error type names from it. */
  enum Kind {
    INVALID_REQUEST,
    /** A missing or wrong credential. */
    AUTHENTICATION,
    NOT_FOUND,
    /** Turned away by the rpm window. */
    REQUESTS_LIMIT,
    /** Turned away by the tpm window. */
    TOKENS_LIMIT,
    /** A failure the simulator was told to produce (directive, fault rate); the type follows the status. */
    SIMULATED
  }

  /** A request turned away before its body is read, as the provider's gateway would. */
  record Refusal(int status, Kind kind, String message) {}

  /** Headers, path and query checks (credentials, required versions); null when the request may go on. */
  Refusal check(RoutingContext ctx);

  /** The model the URL names (an Azure deployment, a Bedrock model id), or null when the body names it. */
  default String routeModel(RoutingContext ctx) {
    return null;
  }

  /** The status this provider sends for a simulated one, e.g. Anthropic says 529 where others say 503. */
  default int wireStatus(int status) {
    return status;
  }

  /** Headers of a success, such as the provider's request id. */
  void putSuccessHeaders(MultiMap headers, String tag);

  /** Writes and ends an error; {@code retryAfterMs > 0} asks for the provider's retry hint, if it has one. */
  void sendError(HttpServerResponse response, int status, Kind kind, String message, long retryAfterMs);

  /** A Retry-After header value: whole seconds, rounded up, at least 1. */
  static String retryAfterSeconds(long retryAfterMs) {
    return String.valueOf(Math.max(1, (retryAfterMs + 999) / 1000));
  }

  /** Describes the shared limits in the provider's header names; not called when rate headers are off. */
  void putRateHeaders(RateLimits limits, long nowMs, MultiMap headers);

  /** The header value if present and non-blank, else null. */
  static String header(RoutingContext ctx, String name) {
    String value = ctx.request().getHeader(name);
    return value == null || value.isBlank() ? null : value;
  }

  /** Compares secrets in time independent of where they differ; a null {@code given} never matches. */
  static boolean sameSecret(String expected, String given) {
    return given != null && java.security.MessageDigest.isEqual(
        expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        given.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
