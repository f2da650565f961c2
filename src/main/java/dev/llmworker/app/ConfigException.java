package dev.llmworker.app;

/** A configuration value is missing or malformed; the message names the key and the expected form. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String key, String expected, Object actual) {
    super(key + ": expected " + expected + ", got " + describe(actual));
  }

  public ConfigException(String message) {
    super(message);
  }

  private static String describe(Object actual) {
    if (actual == null) {
      return "nothing";
    }
    return actual instanceof String ? "\"" + actual + "\"" : String.valueOf(actual);
  }
}
