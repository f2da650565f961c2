package dev.llmworker.api;

import dev.llmworker.net.BearerSecrets;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code Authorization: Bearer <token>} against {@code api.tokens}, compared in constant time on digests. With no
 * token configured the API is off: every request gets 403, never an open API.
 */
final class ApiTokens implements Handler<RoutingContext> {
  private final BearerSecrets secrets;

  ApiTokens(List<String> tokens) {
    this.secrets = new BearerSecrets(tokens);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (secrets.none()) {
      OpenAiError.send(ctx, 403, "The Batch API is off: start llm-worker with api.tokens (LLMW_API_TOKENS) set",
          null, "api_disabled");
      return;
    }
    switch (secrets.check(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      case MISSING -> OpenAiError.send(ctx, 401, "You didn't provide an API key: send 'Authorization: Bearer <one "
          + "of api.tokens>'", null, "missing_api_key");
      case WRONG -> OpenAiError.send(ctx, 401, "Incorrect API key provided", null, "invalid_api_key");
      case KNOWN -> ctx.next();
    }
  }
}
