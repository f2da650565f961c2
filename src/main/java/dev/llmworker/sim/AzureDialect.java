package dev.llmworker.sim;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Azure OpenAI: OpenAI's bodies and errors, but the key travels in {@code api-key}. On the deployment paths
 * ({@code /openai/deployments/{deployment}/chat/completions?api-version=...}, also {@code /completions} and
 * {@code /embeddings}) the deployment names the model and the gateway answers a missing api-version with a bare 404
 * before any OpenAI code runs; on the v1 path ({@code /openai/v1/responses}) the body names the model and no
 * api-version is needed.
 */
final class AzureDialect extends OpenAiDialect {
  static final String DEPLOYMENT = "deployment";
  static final Pattern API_VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview)?");

  private final boolean needsApiVersion;

  /** The dialect of the deployment paths, which need an api-version. */
  static AzureDialect deployments(String apiKey) {
    return new AzureDialect(apiKey, true);
  }

  /** The dialect of the {@code /openai/v1/} paths. */
  static AzureDialect v1(String apiKey) {
    return new AzureDialect(apiKey, false);
  }

  private AzureDialect(String apiKey, boolean needsApiVersion) {
    super(apiKey);
    this.needsApiVersion = needsApiVersion;
  }

  @Override
  public Refusal check(RoutingContext ctx) {
    String version = ctx.request().getParam("api-version");
    if (needsApiVersion && (version == null || !API_VERSION.matcher(version).matches())) {
      return new Refusal(404, Kind.NOT_FOUND, "Resource not found");
    }
    if (!apiKey.isEmpty() && !Dialect.sameSecret(apiKey, Dialect.header(ctx, "api-key"))) {
      return new Refusal(401, Kind.AUTHENTICATION, "Access denied due to invalid subscription key or wrong API "
          + "endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API "
          + "endpoint for your resource.");
    }
    return null;
  }

  /** On a deployment path the body's "model" is optional and ignored: Azure serves what the deployment runs. */
  @Override
  public String routeModel(RoutingContext ctx) {
    return ctx.pathParam(DEPLOYMENT);
  }

  @Override
  public void sendError(HttpServerResponse response, int status, Kind kind, String message, long retryAfterMs) {
    if (kind == Kind.NOT_FOUND || kind == Kind.AUTHENTICATION) {
      // the gateway's shape: {"error":{"code":"404","message":...}}; for 401 OpenAI's fields are added too, so
      // clients that read either shape find what they look for
      JsonObject error = new JsonObject().put("code", String.valueOf(status)).put("message", message);
      if (kind == Kind.AUTHENTICATION) {
        error.put("type", OpenAiError.INVALID_REQUEST).putNull("param");
      }
      response.setStatusCode(status).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", error).toBuffer());
      return;
    }
    super.sendError(response, status, kind, message, retryAfterMs);
  }
}
