package dev.llmworker.app;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads the configuration with vertx-config: built-in defaults, then the config file, then environment
 * variables ({@code LLMW_WORKER_INSTANCES}), then system properties ({@code -Dllmw.worker.instances=4}).
 */
public final class ConfigLoader {
  public static final Path DEFAULT_FILE = Path.of("conf", "config.json");
  private static final String DEFAULTS_RESOURCE = "llmw/config.json";
  private static final String ENV_PREFIX = "LLMW_";
  private static final String SYS_PREFIX = "llmw.";
  /** Objects whose keys are the user's (model names, header names): taken whole, never checked key by key. */
  static final Set<String> FREE_FORM = Set.of("provider.headers", "provider.modelMap", "provider.modelLimits",
      "provider.contextTokens",
      "prices");

  private ConfigLoader() {}

  /** @param file the user's file, or null for conf/config.json when it exists */
  public static Future<LlmwConfig> load(Vertx vertx, Path file) {
    JsonObject defaults = defaults();
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(0)
        .addStore(new ConfigStoreOptions().setType("json").setConfig(defaults));
    Path chosen = file != null ? file : (Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null);
    if (file != null && !Files.isRegularFile(file)) {
      return Future.failedFuture(new ConfigException("--config: file not found: " + file));
    }
    if (chosen != null) {
      JsonObject fromFile;
      try {
        fromFile = new JsonObject(Files.readString(chosen, StandardCharsets.UTF_8));
      } catch (IOException | DecodeException e) {
        return Future.failedFuture(new ConfigException(chosen + ": expected a JSON object (" + e.getMessage() + ")"));
      }
      rejectUnknownKeys(defaults, fromFile, "");
      options.addStore(new ConfigStoreOptions().setType("file").setFormat("json")
          .setConfig(new JsonObject().put("path", chosen.toString())));
    }
    options.addStore(new ConfigStoreOptions().setType("env").setConfig(new JsonObject().put("raw-data", true)));
    options.addStore(new ConfigStoreOptions().setType("sys")
        .setConfig(new JsonObject().put("raw-data", true).put("cache", false)));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
        .eventually(retriever::close)
        .map(merged -> applyOverrides(defaults, merged))
        .map(LlmwConfig::parse);
  }

  /** The built-in defaults: a copy of conf/config.json packed into the jar. */
  public static JsonObject defaults() {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing " + DEFAULTS_RESOURCE + " in the jar");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + DEFAULTS_RESOURCE, e);
    }
  }

  /** The environment variable for a dotted key: sqs.queueUrl becomes LLMW_SQS_QUEUE_URL. */
  public static String envName(String key) {
    return ENV_PREFIX + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase();
  }

  private static JsonObject applyOverrides(JsonObject defaults, JsonObject merged) {
    JsonObject tree = new JsonObject();
    for (String key : leafKeys(defaults, "")) {
      Object value = valueAt(merged, key);
      Object env = merged.getValue(envName(key));
      Object sys = merged.getValue(SYS_PREFIX + key);
      if (env != null) {
        value = coerce(key, env.toString(), valueAt(defaults, key));
      }
      if (sys != null) {
        value = coerce(key, sys.toString(), valueAt(defaults, key));
      }
      putAt(tree, key, value);
    }
    return tree;
  }

  /** Environment and system-property values are strings; read them as the type the default has. */
  private static Object coerce(String key, String text, Object template) {
    String s = text.trim();
    try {
      if (template instanceof Number) {
        return s.contains(".") ? (Object) Double.parseDouble(s) : (Object) Long.parseLong(s);
      }
      if (template instanceof Boolean) {
        if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
          throw new ConfigException(key, "true or false", text);
        }
        return Boolean.parseBoolean(s);
      }
      if (template instanceof JsonArray) {
        return s.startsWith("[") ? new JsonArray(s) : new JsonArray(s.isEmpty() ? List.of() : List.of(s.split(",")));
      }
      if (template instanceof JsonObject) {
        return new JsonObject(s.isEmpty() ? "{}" : s);
      }
    } catch (NumberFormatException | DecodeException | ClassCastException e) {
      throw new ConfigException(key + " (from " + envName(key) + " or -D" + SYS_PREFIX + key + ")",
          template instanceof Number ? "a number" : template instanceof JsonObject ? "a JSON object" : "a JSON array",
          text);
    }
    return text;
  }

  private static void rejectUnknownKeys(JsonObject known, JsonObject given, String prefix) {
    for (Map.Entry<String, Object> e : given) {
      String key = prefix + e.getKey();
      if (!known.containsKey(e.getKey())) {
        throw new ConfigException(key + ": unknown key (see conf/config.json for the valid keys)");
      }
      if (known.getValue(e.getKey()) instanceof JsonObject k && e.getValue() instanceof JsonObject g
          && !FREE_FORM.contains(key)) {
        rejectUnknownKeys(k, g, key + ".");
      }
    }
  }

  static List<String> leafKeys(JsonObject node, String prefix) {
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, Object> e : node) {
      if (e.getValue() instanceof JsonObject child && !FREE_FORM.contains(prefix + e.getKey())) {
        keys.addAll(leafKeys(child, prefix + e.getKey() + "."));
      } else {
        keys.add(prefix + e.getKey());
      }
    }
    return keys;
  }

  private static Object valueAt(JsonObject root, String key) {
    return new ConfigReader(root).raw(key);
  }

  private static void putAt(JsonObject root, String key, Object value) {
    String[] parts = key.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject child = node.getJsonObject(parts[i]);
      if (child == null) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = child;
    }
    node.put(parts[parts.length - 1], value);
  }
}
