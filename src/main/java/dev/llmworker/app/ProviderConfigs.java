package dev.llmworker.app;

import dev.llmworker.app.LlmwConfig.Limit;
import dev.llmworker.app.LlmwConfig.Price;
import dev.llmworker.app.LlmwConfig.Provider;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code provider} (the default) and {@code providers} (more of the same shape; missing keys take the
 * built-in defaults, except {@code baseUrl} and {@code apiKeyEnv}, which are never inherited), and {@code prices}.
 * Which key each provider sends is decided by {@link ProviderKeys}.
 */
final class ProviderConfigs {
  private static final Map<String, String> DEFAULT_URLS = Map.of(
      "openai", "https://api.openai.com/v1",
      "anthropic", "https://api.anthropic.com");
  private static final Map<String, String> DEFAULT_VERSIONS = Map.of(
      "azure", "2024-10-21",
      "anthropic", "2023-06-01");

  private ProviderConfigs() {}

  static List<Provider> parse(JsonObject tree) {
    List<Provider> providers = new ArrayList<>();
    providers.add(provider(new ConfigReader(tree.getJsonObject("provider"), "provider."), tree));
    ConfigReader root = new ConfigReader(tree);
    JsonObject elementDefaults = ConfigLoader.defaults().getJsonObject("provider").copy()
        .put("baseUrl", "").put("apiKeyEnv", "").put("name", "");
    int index = 0;
    for (Object element : root.array("providers")) {
      String prefix = "providers[" + index++ + "].";
      if (!(element instanceof JsonObject object)) {
        throw new ConfigException(prefix.substring(0, prefix.length() - 1), "a JSON object", element);
      }
      rejectUnknown(object, elementDefaults, prefix);
      providers.add(provider(new ConfigReader(elementDefaults.copy().mergeIn(object), prefix), tree));
    }
    checkNamesAndFallbacks(providers);
    return List.copyOf(providers);
  }

  private static Provider provider(ConfigReader r, JsonObject tree) {
    String type = r.oneOf("type", Provider.TYPES.toArray(String[]::new));
    String region = r.string("region").isEmpty() ? new ConfigReader(tree).nonEmpty("sqs.region") : r.string("region");
    if (!"openai".equals(type) && !"bedrock".equals(type) && "OPENAI_API_KEY".equals(r.string("apiKeyEnv"))) {
      throw r.bad("apiKeyEnv", "the variable holding the " + type + " key (OPENAI_API_KEY would send your OpenAI "
          + "key to another vendor)", r.string("apiKeyEnv"));
    }
    String baseUrl = baseUrl(r, type, region);
    return new Provider(
        r.nonEmpty("name"),
        type,
        baseUrl,
        ProviderKeys.variable(r, type, baseUrl),
        r.string("apiVersion").isEmpty() ? DEFAULT_VERSIONS.getOrDefault(type, "") : r.string("apiVersion"),
        region,
        r.string("organization"),
        r.string("project"),
        r.stringMap("headers"),
        r.stringMap("modelMap"),
        r.strings("models"),
        r.integer("requestTimeoutSeconds", 1, 3600),
        r.integer("connectTimeoutSeconds", 1, 600),
        r.integer("maxConnections", 0, 10_000),
        new Limit(r.nonNegative("rpm", 100_000_000), r.nonNegative("tpm", 10_000_000_000L)),
        modelLimits(r),
        r.strings("fallbacks"),
        r.integer("circuitOpenSeconds", 1, 3600),
        r.integer("maxResponseBytes", 65_536, 1_073_741_824),
        r.countMap("contextTokens", 100_000_000));
  }

  private static String baseUrl(ConfigReader r, String type, String region) {
    if (!r.string("baseUrl").isEmpty()) {
      return r.url("baseUrl", false);
    }
    if ("bedrock".equals(type)) {
      return "https://bedrock-runtime." + region + ".amazonaws.com";
    }
    String url = DEFAULT_URLS.get(type);
    if (url == null) {
      throw r.bad("baseUrl", "your Azure OpenAI endpoint, e.g. https://NAME.openai.azure.com", "");
    }
    return url;
  }

  private static Map<String, Limit> modelLimits(ConfigReader r) {
    Map<String, Limit> limits = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : r.object("modelLimits")) {
      String key = "modelLimits." + e.getKey();
      if (!(e.getValue() instanceof JsonObject limit)) {
        throw r.bad(key, "an object like {\"rpm\": 500, \"tpm\": 200000}", e.getValue());
      }
      ConfigReader lr = new ConfigReader(new JsonObject().put("rpm", 0).put("tpm", 0).mergeIn(limit),
          r.prefix() + key + ".");
      limits.put(e.getKey(), new Limit(lr.nonNegative("rpm", 100_000_000), lr.nonNegative("tpm", 10_000_000_000L)));
    }
    return Map.copyOf(limits);
  }

  private static void checkNamesAndFallbacks(List<Provider> providers) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < providers.size(); i++) {
      if (!names.add(providers.get(i).name())) {
        throw new ConfigException(where(i) + "name", "a name no other provider has", providers.get(i).name());
      }
    }
    for (int i = 0; i < providers.size(); i++) {
      Provider p = providers.get(i);
      for (String fallback : p.fallbacks()) {
        if (!names.contains(fallback) || fallback.equals(p.name())) {
          throw new ConfigException(where(i) + "fallbacks", "names of other configured providers " + names, fallback);
        }
      }
    }
  }

  static String where(int index) {
    return index == 0 ? "provider." : "providers[" + (index - 1) + "].";
  }

  private static void rejectUnknown(JsonObject given, JsonObject known, String prefix) {
    for (String key : given.fieldNames()) {
      if (!known.containsKey(key)) {
        throw new ConfigException(prefix + key + ": unknown key (valid: " + known.fieldNames() + ")");
      }
    }
  }

  static Map<String, Price> prices(ConfigReader r) {
    Map<String, Price> prices = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : r.object("prices")) {
      String key = "prices." + e.getKey();
      if (!(e.getValue() instanceof JsonObject price)) {
        throw new ConfigException(key, "an object like {\"input\": 0.15, \"output\": 0.60} (USD per million tokens)",
            e.getValue());
      }
      ConfigReader pr = new ConfigReader(price, key + ".");
      prices.put(e.getKey(), new Price(pr.decimal("input"), pr.decimal("output")));
    }
    return Map.copyOf(prices);
  }
}
