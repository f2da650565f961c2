package dev.llmworker.provider;

import io.vertx.core.MultiMap;

/** Reads the delay a provider asks for: {@code retry-after-ms}, else {@code Retry-After} in seconds. */
final class RetryAfter {
  private static final long MAX_MS = 600_000;

  private RetryAfter() {}

  static long parseMs(MultiMap headers) {
    long ms = number(headers.get("retry-after-ms"));
    if (ms >= 0) {
      return Math.min(ms, MAX_MS);
    }
    long seconds = number(headers.get("Retry-After"));
    return seconds >= 0 ? Math.min(seconds * 1000, MAX_MS) : -1;
  }

  private static long number(String value) {
    if (value == null) {
      return -1;
    }
    try {
      return (long) Math.ceil(Double.parseDouble(value.trim()));
    } catch (NumberFormatException e) {
      return -1; // an HTTP date or junk: fall back to our own backoff
    }
  }
}
