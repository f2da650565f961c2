package dev.llmworker.support;

import dev.llmworker.app.ConfigLoader;
import dev.llmworker.app.LlmwConfig;
import io.vertx.core.json.JsonObject;

/** The shipped defaults with test overrides deep-merged in, parsed like a real start. */
public final class TestConfig {
  private TestConfig() {}

  public static LlmwConfig with(JsonObject overrides) {
    return LlmwConfig.parse(ConfigLoader.defaults().mergeIn(overrides, true));
  }

  /** Defaults for tests: SQS at {@code endpoint}, provider at {@code providerUrl}, monitor on port 0, fast loops. */
  public static JsonObject base(String endpoint, String providerUrl) {
    return new JsonObject()
        .put("sqs", new JsonObject().put("endpoint", endpoint).put("waitTimeSeconds", 1))
        .put("provider", new JsonObject().put("baseUrl", providerUrl).put("apiKeyEnv", "none")
            .put("requestTimeoutSeconds", 20))
        .put("retry", new JsonObject().put("baseDelayMs", 50).put("maxDelayMs", 500).put("returnBaseSeconds", 1)
            .put("returnMaxSeconds", 2))
        .put("monitor", new JsonObject().put("port", 0))
        .put("shutdown", new JsonObject().put("graceSeconds", 5));
  }
}
