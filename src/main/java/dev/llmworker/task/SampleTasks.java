package dev.llmworker.task;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Sample task bodies for demo and bench: OpenAI Batch API input lines. */
public final class SampleTasks {
  private static final String[] TOPICS = {"queues", "rate limits", "the sea", "autumn", "compilers", "coffee"};

  /** Each sample asks for this many completion tokens; providers count it against tokens per minute. */
  public static final int MAX_TOKENS = 32;
  /** About what one sample task counts against a tokens-per-minute budget: ~14 prompt tokens + max_tokens. */
  public static final int BUDGET_TOKENS = 46;

  private SampleTasks() {}

  public static String body(String prefix, int n) {
    JsonObject request = new JsonObject()
        .put("model", "sim-1")
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", "You are concise."))
            .add(new JsonObject().put("role", "user").put("content",
                "Write a haiku about " + TOPICS[n % TOPICS.length] + " (task " + n + ")")))
        .put("max_tokens", MAX_TOKENS);
    return new JsonObject().put("custom_id", prefix + n).put("method", "POST").put("url", "/v1/chat/completions")
        .put("body", request).encode();
  }
}
