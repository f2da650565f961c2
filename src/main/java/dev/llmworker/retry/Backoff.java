package dev.llmworker.retry;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The one backoff policy: attempt n waits {@code base × 2^(n-1)}, capped at {@code max}, with ±25% jitter (never above
 * the cap) so that tasks failing together do not come back in one burst; a provider's {@code Retry-After} wins
 * (plus up to 10%). Used for workers' in-process retries, delays of tasks given back to SQS, failed SQS receives and
 * batch calls, and retries of stores.
 */
public record Backoff(long baseMs, long maxMs) {
  /** SQS's own ceiling for a visibility timeout or a delay: 12 hours. */
  public static final int MAX_SQS_SECONDS = 43_200;
  /** A batch call (delete, send, visibility) that failed for a transient reason. */
  public static final Backoff SQS_BATCH = new Backoff(200, 5_000);
  /** A receive that failed (SQS unreachable). */
  public static final Backoff SQS_RECEIVE = new Backoff(400, 10_000);

  public Backoff {
    if (baseMs < 0 || maxMs < baseMs) {
      throw new IllegalArgumentException("backoff needs 0 <= base <= max, got " + baseMs + " and " + maxMs);
    }
  }

  public static Backoff ofSeconds(int baseSeconds, int maxSeconds) {
    return new Backoff(baseSeconds * 1000L, maxSeconds * 1000L);
  }

  /** The wait before attempt {@code attempt + 1}, after attempt {@code attempt} (1-based) failed. */
  public long delayMs(int attempt) {
    long ceiling = Math.min(maxMs, baseMs << Math.min(Math.max(attempt - 1, 0), 30));
    double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
    return Math.min(maxMs, Math.round(ceiling * jitter));
  }

  /** As {@link #delayMs(int)}, unless the other side said when to come back ({@code retryAfterMs >= 0}). */
  public long delayMs(int attempt, long retryAfterMs) {
    if (retryAfterMs < 0) {
      return delayMs(attempt);
    }
    return retryAfterMs + (long) (ThreadLocalRandom.current().nextDouble() * Math.max(50, retryAfterMs / 10.0));
  }

  /** As {@link #delayMs(int)}, in whole seconds for an SQS visibility timeout or delay (at most 12 hours). */
  public int delaySeconds(int attempt) {
    return (int) Math.min(MAX_SQS_SECONDS, Math.round(delayMs(attempt) / 1000.0));
  }
}
