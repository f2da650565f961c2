package dev.llmworker.sim;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * AWS Bedrock Runtime ({@code /model/{modelId}/converse}: {@link BedrockConverse}; {@code /model/{modelId}/invoke}:
 * {@link BedrockInvoke}). Checks only
 * that a SigV4 signature is present (verifying it would need the client's secret), ignores the simulator's API
 * key, and sends no rate-limit or retry headers, as Bedrock doesn't: its clients must back off on 429s alone.
 */
final class BedrockDialect implements Dialect {
  static final String MODEL_ID = "modelId";
  static final String ERROR_TYPE = "x-amzn-ErrorType";
  static final String REQUEST_ID = "x-amzn-RequestId";
  static final String SIGV4 = "AWS4-HMAC-SHA256 Credential=";

  @Override
  public Refusal check(RoutingContext ctx) {
    String authorization = Dialect.header(ctx, "Authorization");
    if (authorization == null || !authorization.startsWith(SIGV4) || Dialect.header(ctx, "X-Amz-Date") == null) {
      return new Refusal(403, Kind.AUTHENTICATION, "The security token included in the request is invalid.");
    }
    return null;
  }

  /** The route decodes the model id, so {@code anthropic.claude-v2%3A1} arrives as {@code anthropic.claude-v2:1}. */
  @Override
  public String routeModel(RoutingContext ctx) {
    return ctx.pathParam(MODEL_ID);
  }

  /** Bedrock has no 504: a model that runs too long is its ModelTimeoutException, a 408. */
  @Override
  public int wireStatus(int status) {
    return status == 504 ? 408 : status;
  }

  @Override
  public void putSuccessHeaders(MultiMap headers, String tag) {
    headers.set(REQUEST_ID, UUID.randomUUID().toString());
  }

  @Override
  public void sendError(HttpServerResponse response, int status, Kind kind, String message, long retryAfterMs) {
    String type = kind == Kind.AUTHENTICATION ? "UnrecognizedClientException" : type(status);
    response.setStatusCode(status)
        .putHeader(ERROR_TYPE, type)
        .putHeader(REQUEST_ID, UUID.randomUUID().toString())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("message", message).toBuffer());
  }

  static String type(int status) {
    return switch (status) {
      case 400 -> "ValidationException";
      case 401 -> "UnrecognizedClientException";
      case 403 -> "AccessDeniedException";
      case 404 -> "ResourceNotFoundException";
      case 408 -> "ModelTimeoutException";
      case 429 -> "ThrottlingException";
      case 503 -> "ServiceUnavailableException";
      default -> status >= 500 ? "InternalServerException" : "ValidationException";
    };
  }

  @Override
  public void putRateHeaders(RateLimits limits, long nowMs, MultiMap headers) {
    // Bedrock publishes its quotas in Service Quotas, not in response headers
  }
}
