package dev.llmworker.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Task bodies for tests: an OpenAI Batch API input line with one user message (which may carry sim directives). */
public final class TestTasks {
  private TestTasks() {}

  public static String chat(String customId, String prompt) {
    return new JsonObject().put("custom_id", customId).put("method", "POST").put("url", "/v1/chat/completions")
        .put("body", new JsonObject().put("model", "sim-1").put("max_tokens", 16)
            .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt))))
        .encode();
  }
}
