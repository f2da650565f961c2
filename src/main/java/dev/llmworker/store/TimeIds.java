package dev.llmworker.store;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids that sort in creation order (the API's {@code created_at} has whole seconds only, too coarse for listing): a
 * time stamp in microseconds strictly increasing in this JVM, then randomness that keeps ids of different nodes apart.
 */
public final class TimeIds {
  private static final AtomicLong CLOCK = new AtomicLong();

  private TimeIds() {}

  /** {@code prefix} followed by 30 letters and digits. */
  public static String next(String prefix) {
    long stamp = CLOCK.updateAndGet(prev -> Math.max(prev + 1, System.currentTimeMillis() * 1000));
    return String.format("%s%014x%s", prefix, stamp, UUID.randomUUID().toString().replace("-", "").substring(0, 16));
  }
}
