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

  /**
   * Three tasks that fail again at once however often they come back: not JSON, an unknown provider (both dead-lettered
   * before any call), and {@code p400}, which the simulator answers with a 400 every time (a paid call each time).
   */
  public static String poison(int n) {
    return switch (n % 3) {
      case 0 -> "{this is not json";
      case 1 -> new io.vertx.core.json.JsonObject(chat("u1", "hi")).put("provider", "nope").encode();
      default -> chat("p400", "reject me [[sim:status=400]]");
    };
  }
}
