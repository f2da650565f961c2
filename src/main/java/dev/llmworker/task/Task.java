package dev.llmworker.task;

import io.vertx.core.json.JsonObject;

/**
 * One LLM request, as an OpenAI Batch API input line. {@code url} is always a path such as
 * {@code /v1/chat/completions}: the host is the configured provider's, never the task's. {@code provider} is the one
 * the task names, or null: then its model and endpoint choose (see {@code ProviderRoutes}).
 */
public record Task(String customId, String method, String url, JsonObject body, String provider) {

  public String model() {
    return body.getString("model", "");
  }

  /** The endpoint {@code url} names (a decoded task's url always names one; chat otherwise). */
  public Endpoint endpoint() {
    Endpoint endpoint = Endpoint.of(url);
    return endpoint == null ? Endpoint.CHAT : endpoint;
  }
}
