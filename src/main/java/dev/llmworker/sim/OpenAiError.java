package dev.llmworker.sim;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Error answers shaped like OpenAI's: {@code {"error":{"message","type","param","code"}}}. */
final class OpenAiError {
  static final String INVALID_REQUEST = "invalid_request_error";
  static final String SERVER_ERROR = "server_error";
  static final String RATE_LIMIT_CODE = "rate_limit_exceeded";

  private OpenAiError() {}

  static JsonObject body(String message, String type, String code) {
    return new JsonObject().put("error", new JsonObject()
        .put("message", message)
        .put("type", type)
        .putNull("param")
        .put("code", code));
  }

  static void send(HttpServerResponse response, int status, String message, String type, String code) {
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body(message, type, code).toBuffer());
  }
}
