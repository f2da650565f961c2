package dev.llmworker.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Typed, validated reads from the merged configuration tree; every error names the dotted key. */
final class ConfigReader {
  private final JsonObject root;

  ConfigReader(JsonObject root) {
    this.root = root;
  }

  Object raw(String key) {
    JsonObject node = root;
    String[] parts = key.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.getValue(parts[i]);
      if (!(child instanceof JsonObject object)) {
        return null;
      }
      node = object;
    }
    return node.getValue(parts[parts.length - 1]);
  }

  String string(String key) {
    Object value = raw(key);
    if (!(value instanceof String s)) {
      throw new ConfigException(key, "a string", value);
    }
    return s.trim();
  }

  String nonEmpty(String key) {
    String value = string(key);
    if (value.isEmpty()) {
      throw new ConfigException(key, "a non-empty string", value);
    }
    return value;
  }

  int integer(String key, int min, int max) {
    Object value = raw(key);
    String expected = "an integer from " + min + " to " + max;
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new ConfigException(key, expected, value);
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw new ConfigException(key, expected, value);
    }
    return (int) v;
  }

  /** An http(s) URL, or "" when {@code optional}. */
  String url(String key, boolean optional) {
    String value = string(key);
    if (value.isEmpty() && optional) {
      return "";
    }
    try {
      URI uri = new URI(value);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
      }
    } catch (Exception ignored) {
      // reported below
    }
    throw new ConfigException(key, "an http:// or https:// URL" + (optional ? " or \"\"" : ""), value);
  }

  String oneOf(String key, String... allowed) {
    String value = string(key);
    for (String a : allowed) {
      if (a.equals(value)) {
        return value;
      }
    }
    throw new ConfigException(key, "one of " + String.join(", ", allowed), value);
  }

  List<String> strings(String key) {
    Object value = raw(key);
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException(key, "a JSON array of strings", value);
    }
    List<String> out = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s)) {
        throw new ConfigException(key, "a JSON array of strings", value);
      }
      out.add(s);
    }
    return List.copyOf(out);
  }
}
