package dev.llmworker.task;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** Sample task bodies for demo and bench: OpenAI Batch API input lines, for every endpoint. */
public final class SampleTasks {
  private static final String[] TOPICS = {"queues", "rate limits", "the sea", "autumn", "compilers", "coffee"};

  /** Each sample asks for this many completion tokens; providers count it against tokens per minute. */
  public static final int MAX_TOKENS = 32;
  /** About what one sample chat task counts against a tokens-per-minute budget: ~14 prompt tokens + max_tokens. */
  public static final int BUDGET_TOKENS = 46;
  /** Inputs per sample embeddings task. */
  public static final int EMBEDDING_INPUTS = 4;

  /** The models the samples ask for, by endpoint (OpenAI's names: the simulator answers any). */
  public static final Map<Endpoint, String> MODELS = Map.of(
      Endpoint.CHAT, "gpt-4o-mini",
      Endpoint.RESPONSES, "gpt-4.1-mini",
      Endpoint.EMBEDDINGS, "text-embedding-3-small",
      Endpoint.COMPLETIONS, "gpt-3.5-turbo-instruct",
      Endpoint.MODERATIONS, "omni-moderation-latest");

  /** The demo's mix, out of 20 tasks: mostly chat, then embeddings, responses, completions, moderations. */
  private static final Endpoint[] MIX = {
      Endpoint.CHAT, Endpoint.EMBEDDINGS, Endpoint.CHAT, Endpoint.RESPONSES, Endpoint.CHAT, Endpoint.CHAT,
      Endpoint.EMBEDDINGS, Endpoint.CHAT, Endpoint.COMPLETIONS, Endpoint.CHAT, Endpoint.RESPONSES, Endpoint.CHAT,
      Endpoint.EMBEDDINGS, Endpoint.CHAT, Endpoint.MODERATIONS, Endpoint.CHAT, Endpoint.EMBEDDINGS, Endpoint.CHAT,
      Endpoint.RESPONSES, Endpoint.CHAT};

  private SampleTasks() {}

  /** A chat task for the simulator's own model (what bench measures by default). */
  public static String body(String prefix, int n) {
    return line(prefix + n, Endpoint.CHAT, chat("sim-1", n));
  }

  /** Task {@code n} of the demo's mix of endpoints. */
  public static String mixed(String prefix, int n) {
    return body(prefix, n, MIX[n % MIX.length]);
  }

  /** A sample task for {@code endpoint}, with that endpoint's sample model (chat: the simulator's own). */
  public static String body(String prefix, int n, Endpoint endpoint) {
    String model = MODELS.get(endpoint);
    String topic = TOPICS[n % TOPICS.length];
    JsonObject request = switch (endpoint) {
      case CHAT -> chat(model, n);
      case RESPONSES -> new JsonObject().put("model", model).put("instructions", "You are concise.")
          .put("input", "Explain " + topic + " in one sentence (task " + n + ")")
          .put("max_output_tokens", MAX_TOKENS);
      case EMBEDDINGS -> {
        JsonArray inputs = new JsonArray();
        for (int i = 0; i < EMBEDDING_INPUTS; i++) {
          inputs.add("Passage " + i + " of document " + n + ": notes on " + TOPICS[(n + i) % TOPICS.length]);
        }
        yield new JsonObject().put("model", model).put("input", inputs);
      }
      case COMPLETIONS -> new JsonObject().put("model", model)
          .put("prompt", "Complete the line about " + topic + " (task " + n + "):").put("max_tokens", MAX_TOKENS);
      case MODERATIONS -> new JsonObject().put("model", model).put("input", "A friendly note about " + topic);
    };
    return line(prefix + n, endpoint, request);
  }

  private static JsonObject chat(String model, int n) {
    return new JsonObject()
        .put("model", model)
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", "You are concise."))
            .add(new JsonObject().put("role", "user").put("content",
                "Write a haiku about " + TOPICS[n % TOPICS.length] + " (task " + n + ")")))
        .put("max_tokens", MAX_TOKENS);
  }

  private static String line(String customId, Endpoint endpoint, JsonObject request) {
    return new JsonObject().put("custom_id", customId).put("method", "POST").put("url", endpoint.url)
        .put("body", request).encode();
  }
}
