package dev.llmworker.client;

import java.util.Locale;

/** The most bytes one task message may have, and where that limit comes from (for the rejection message). */
public record MessageLimit(int bytes, String source) {
  public String tooLarge(long actual, String what) {
    return String.format(Locale.ROOT, "%,d bytes%s; an SQS message may have at most %,d (%s)", actual, what, bytes,
        source);
  }
}
