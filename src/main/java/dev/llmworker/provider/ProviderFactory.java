package dev.llmworker.provider;

import dev.llmworker.app.LlmwConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds one client per configured provider for one worker verticle. */
public final class ProviderFactory {
  private ProviderFactory() {}

  public static LlmProvider create(Vertx vertx, LlmwConfig.Provider config, int defaultConnections) {
    return switch (config.type()) {
      case "azure" -> new AzureOpenAiProvider(vertx, config, defaultConnections);
      case "anthropic" -> new AnthropicProvider(vertx, config, defaultConnections);
      case "bedrock" -> new BedrockProvider(vertx, config, defaultConnections);
      default -> new OpenAiProvider(vertx, config, defaultConnections);
    };
  }

  /** All configured providers by name, in configuration order. */
  public static Map<String, LlmProvider> createAll(Vertx vertx, LlmwConfig config) {
    Map<String, LlmProvider> providers = new LinkedHashMap<>();
    for (LlmwConfig.Provider p : config.providers()) {
      providers.put(p.name(), create(vertx, p, config.worker().concurrency()));
    }
    return providers;
  }

  public static Future<Void> closeAll(Map<String, LlmProvider> providers) {
    return Future.join(providers.values().stream().map(LlmProvider::close).toList()).mapEmpty();
  }
}
