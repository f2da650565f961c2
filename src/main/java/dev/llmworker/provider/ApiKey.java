package dev.llmworker.provider;

/** Reads an API key from the environment variable the config names; the key itself is never logged or shown. */
final class ApiKey {
  private ApiKey() {}

  /** The key, or null when no variable is configured or it is unset. */
  static String fromEnv(String variable) {
    if (variable == null || variable.isBlank()) {
      return null;
    }
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
