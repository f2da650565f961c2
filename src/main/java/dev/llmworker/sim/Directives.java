package dev.llmworker.sim;

/**
 * Test hooks written into a message, e.g. {@code [[sim:latency_ms=5000]]} or {@code [[sim:status=429,retry_after=2]]}.
 *
 * @param latencyMs   overrides the drawn latency; -1 = not set
 * @param status      always answer this error status; 0 = not set
 * @param failFirst   the first N requests with the same client request id fail
 * @param failStatus  status of those failures
 * @param retryAfterS Retry-After seconds on a 429 caused by a directive
 * @param answerChars the answer is this long (e.g. to test results too large for one SQS message); 0 = not set
 */
record Directives(long latencyMs, int status, int failFirst, int failStatus, int retryAfterS, int answerChars) {
  static final String MARKER = "[[sim:";
  static final Directives NONE = new Directives(-1, 0, 0, 503, 1, 0);

  /** Applies the directives found in {@code text} on top of these; cheap when there are none. */
  Directives parse(String text) {
    Directives result = this;
    for (int start = text.indexOf(MARKER); start >= 0; start = text.indexOf(MARKER, start + 1)) {
      int end = text.indexOf("]]", start);
      if (end < 0) {
        throw new IllegalArgumentException("unterminated simulator directive: " + text.substring(start));
      }
      for (String pair : text.substring(start + MARKER.length(), end).split(",")) {
        result = result.with(pair.trim());
      }
    }
    return result;
  }

  private Directives with(String pair) {
    int eq = pair.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("simulator directive needs key=value, got \"" + pair + "\"");
    }
    String key = pair.substring(0, eq).trim();
    long value = number(key, pair.substring(eq + 1).trim());
    return switch (key) {
      case "latency_ms" -> new Directives(value, status, failFirst, failStatus, retryAfterS, answerChars);
      case "status" -> new Directives(latencyMs, errorStatus(key, value), failFirst, failStatus, retryAfterS,
          answerChars);
      case "fail_first" -> new Directives(latencyMs, status, (int) value, failStatus, retryAfterS, answerChars);
      case "fail_status" -> new Directives(latencyMs, status, failFirst, errorStatus(key, value), retryAfterS,
          answerChars);
      case "retry_after" -> new Directives(latencyMs, status, failFirst, failStatus, (int) value, answerChars);
      case "answer_chars" -> new Directives(latencyMs, status, failFirst, failStatus, retryAfterS,
          (int) Math.min(value, 8_000_000));
      default -> throw new IllegalArgumentException("unknown simulator directive \"" + key + "\"");
    };
  }

  private static long number(String key, String text) {
    try {
      long value = Long.parseLong(text);
      if (value >= 0 && value <= Integer.MAX_VALUE) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("simulator directive " + key + " needs a whole number, got \"" + text + "\"");
  }

  private static int errorStatus(String key, long value) {
    if (value < 400 || value > 599) {
      throw new IllegalArgumentException("simulator directive " + key + " needs a 4xx or 5xx status, got " + value);
    }
    return (int) value;
  }
}
