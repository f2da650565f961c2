package dev.llmworker.worker;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter, for in-process retries and for delays of tasks returned to SQS. */
public final class Backoff {
  private Backoff() {}

  /**
   * Delay before in-process attempt {@code attempt + 1}. A provider's Retry-After wins over our own curve
   * (plus up to 10% jitter so that throttled tasks do not come back in one burst).
   */
  public static long retryDelayMs(int attempt, long baseMs, long maxMs, long retryAfterMs) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (retryAfterMs >= 0) {
      return retryAfterMs + (long) (random.nextDouble() * Math.max(50, retryAfterMs / 10.0));
    }
    long ceiling = Math.min(maxMs, baseMs << Math.min(attempt - 1, 20));
    return ceiling / 2 + (long) (random.nextDouble() * (ceiling / 2.0));
  }

  /** Visibility delay for a task given back to SQS after its {@code receiveCount}-th receive. */
  public static int returnDelaySeconds(int receiveCount, int baseSeconds, int maxSeconds) {
    long ceiling = Math.min((long) maxSeconds, (long) baseSeconds << Math.min(Math.max(receiveCount - 1, 0), 20));
    double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
    return (int) Math.min(Math.min(maxSeconds, 43_200), Math.round(ceiling * jitter));
  }
}
