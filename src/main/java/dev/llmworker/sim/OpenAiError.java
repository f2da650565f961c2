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

  /** A failure the simulator was told to produce (a directive or the error rate). */
  static void sendSimulated(HttpServerResponse response, int status, String why) {
    String message = switch (status) {
      case 429 -> "Rate limit reached (simulated: " + why + ").";
      case 500 -> "The server had an error while processing your request (simulated: " + why + ").";
      case 503 -> "The engine is currently overloaded, please try again later (simulated: " + why + ").";
      case 504 -> "The server did not answer in time (simulated: " + why + ").";
      default -> "Simulated status " + status + " (" + why + ").";
    };
    String type = status == 429 ? "requests" : status >= 500 ? SERVER_ERROR : INVALID_REQUEST;
    send(response, status, message, type, status == 429 ? RATE_LIMIT_CODE : null);
  }
}
