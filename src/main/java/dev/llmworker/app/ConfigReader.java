package dev.llmworker.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed, validated reads from the merged configuration tree; every error names the dotted key. */
final class ConfigReader {
  private final JsonObject root;
  private final String prefix;

  ConfigReader(JsonObject root) {
    this(root, "");
  }

  /** Reads keys of {@code root}, naming them {@code prefix + key} in errors (e.g. "providers[1]."). */
  ConfigReader(JsonObject root, String prefix) {
    this.root = root;
    this.prefix = prefix;
  }

  ConfigException bad(String key, String expected, Object actual) {
    return new ConfigException(prefix + key, expected, actual);
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
      throw bad(key, "a string", value);
    }
    return s.trim();
  }

  String nonEmpty(String key) {
    String value = string(key);
    if (value.isEmpty()) {
      throw bad(key, "a non-empty string", value);
    }
    return value;
  }

  /**
   * A secret shared with people (a bearer token): empty (the feature it guards is off), or at least
   * {@code minLength} characters that are not an unexpanded variable such as {@code ${TOKEN:-}}, which some
   * compose tools pass on literally. The value itself is never put into the error.
   */
  String token(String key, int minLength) {
    String value = string(key);
    if (value.matches(".*\\$\\{.*\\}.*|\\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%")) {
      throw new ConfigException(prefix + key + ": looks like an unexpanded variable (" + value + "): the tool that "
          + "started llm-worker passed it on literally; set the real value, e.g. from openssl rand -hex 16");
    }
    if (!value.isEmpty() && value.length() < minLength) {
      throw new ConfigException(prefix + key + ": expected empty (controls off) or at least " + minLength
          + " characters, e.g. from openssl rand -hex 16; got " + value.length() + " characters");
    }
    return value;
  }

  /** Several tokens ({@link #token}'s rules for each): a JSON array, or comma-separated from the environment. */
  List<String> tokens(String key, int minLength) {
    List<String> out = new java.util.ArrayList<>();
    List<String> given = strings(key);
    for (int i = 0; i < given.size(); i++) {
      String value = given.get(i).trim();
      if (value.isEmpty()) {
        continue;
      }
      out.add(new ConfigReader(new JsonObject().put("t", value), prefix + key + "[" + i + "].").token("t",
          minLength));
    }
    return List.copyOf(out);
  }

  int integer(String key, int min, int max) {
    Object value = raw(key);
    String expected = "an integer from " + min + " to " + max;
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw bad(key, expected, value);
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw bad(key, expected, value);
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
    throw bad(key, "an http:// or https:// URL" + (optional ? " or \"\"" : ""), value);
  }

  String oneOf(String key, String... allowed) {
    String value = string(key);
    for (String a : allowed) {
      if (a.equals(value)) {
        return value;
      }
    }
    throw bad(key, "one of " + String.join(", ", allowed), value);
  }

  long nonNegative(String key, long max) {
    Object value = raw(key);
    String expected = "an integer from 0 to " + max;
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 0
        || n.longValue() > max) {
      throw bad(key, expected, value);
    }
    return n.longValue();
  }

  /** A JSON object whose values are all strings, e.g. extra HTTP headers. */
  Map<String, String> stringMap(String key) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : object(key)) {
      if (!(e.getValue() instanceof String s)) {
        throw bad(key + "." + e.getKey(), "a string", e.getValue());
      }
      out.put(e.getKey(), s);
    }
    return Collections.unmodifiableMap(out);
  }

  /** A JSON object whose values are all whole numbers from 1 to {@code max}, e.g. context windows by model. */
  Map<String, Long> countMap(String key, long max) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : object(key)) {
      if (!(e.getValue() instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 1
          || n.longValue() > max) {
        throw bad(key + "." + e.getKey(), "an integer from 1 to " + max, e.getValue());
      }
      out.put(e.getKey(), n.longValue());
    }
    return Collections.unmodifiableMap(out);
  }

  JsonObject object(String key) {
    Object value = raw(key);
    if (!(value instanceof JsonObject object)) {
      throw bad(key, "a JSON object", value);
    }
    return object;
  }

  JsonArray array(String key) {
    Object value = raw(key);
    if (!(value instanceof JsonArray array)) {
      throw bad(key, "a JSON array", value);
    }
    return array;
  }

  /** A number of at least 0, e.g. a price. */
  double decimal(String key) {
    Object value = raw(key);
    if (!(value instanceof Number n) || n.doubleValue() < 0 || Double.isNaN(n.doubleValue())
        || Double.isInfinite(n.doubleValue())) {
      throw bad(key, "a number of 0 or more", value);
    }
    return n.doubleValue();
  }

  boolean bool(String key) {
    Object value = raw(key);
    if (!(value instanceof Boolean b)) {
      throw bad(key, "true or false", value);
    }
    return b;
  }

  String prefix() {
    return prefix;
  }

  List<String> strings(String key) {
    Object value = raw(key);
    if (!(value instanceof JsonArray array)) {
      throw bad(key, "a JSON array of strings", value);
    }
    List<String> out = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s)) {
        throw bad(key, "a JSON array of strings", value);
      }
      out.add(s);
    }
    return List.copyOf(out);
  }

  /** A list of "host:port" entries (cluster members), trimmed; blank entries are dropped. */
  List<String> hostPorts(String key) {
    List<String> out = new ArrayList<>();
    for (String item : strings(key)) {
      String s = item.trim();
      if (s.isEmpty()) {
        continue;
      }
      int colon = s.lastIndexOf(':');
      boolean ok = colon > 0 && colon < s.length() - 1 && s.substring(colon + 1).chars().allMatch(Character::isDigit)
          && Integer.parseInt(s.substring(colon + 1)) <= 65_535;
      if (!ok) {
        throw bad(key, "a list of host:port entries, e.g. [\"10.0.0.5:5701\"] or \"10.0.0.5:5701,10.0.0.6:5701\"",
            item);
      }
      out.add(s);
    }
    return List.copyOf(out);
  }
}
