package dev.llmworker.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * {@code Authorization: Bearer <token>} against {@code api.tokens}, compared in constant time on digests. With no
 * token configured the API is off: every request gets 403, never an open API.
 */
final class ApiTokens implements Handler<RoutingContext> {
  private static final String PREFIX = "Bearer ";
  private final List<byte[]> digests;

  ApiTokens(List<String> tokens) {
    this.digests = tokens.stream().map(ApiTokens::digest).toList();
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (digests.isEmpty()) {
      OpenAiError.send(ctx, 403, "The Batch API is off: start llm-worker with api.tokens (LLMW_API_TOKENS) set",
          null, "api_disabled");
      return;
    }
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      OpenAiError.send(ctx, 401, "You didn't provide an API key: send 'Authorization: Bearer <one of api.tokens>'",
          null, "missing_api_key");
      return;
    }
    byte[] given = digest(header.substring(PREFIX.length()).trim());
    boolean known = false;
    for (byte[] d : digests) {
      known |= MessageDigest.isEqual(d, given); // no early exit: the time does not say which token came close
    }
    if (!known) {
      OpenAiError.send(ctx, 401, "Incorrect API key provided", null, "invalid_api_key");
      return;
    }
    ctx.next();
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
