package dev.llmworker.sim;

import java.util.Arrays;

/**
 * A sum over a sliding window (60 s unless a test shortens it), kept in a ring of 600 buckets, so memory and work
 * per request stay constant however fast requests come. Times are milliseconds on any monotonic clock that starts at
 * 0 or more. Not thread-safe: one event loop owns it.
 */
final class RateWindow {
  static final long MINUTE_MS = 60_000;
  private static final int BUCKETS = 600;

  private final long windowMs;
  private final long bucketMs;
  private final long[] amounts = new long[BUCKETS];
  private long headBucket;
  private long total;

  RateWindow() {
    this(MINUTE_MS);
  }

  /** {@code windowMs}: a multiple of 600 ms keeps the buckets exact. */
  RateWindow(long windowMs) {
    this.windowMs = windowMs;
    this.bucketMs = Math.max(1, windowMs / BUCKETS);
  }

  long windowMs() {
    return windowMs;
  }

  long used(long nowMs) {
    advance(nowMs);
    return total;
  }

  void add(long nowMs, long amount) {
    advance(nowMs);
    amounts[slot(headBucket)] += amount;
    total += amount;
  }

  /** Milliseconds until {@code amount} more fits under {@code limit}: 0 if it fits now, -1 if it never can. */
  long msUntilRoom(long nowMs, long amount, long limit) {
    advance(nowMs);
    long excess = total + amount - limit;
    if (excess <= 0) {
      return 0;
    }
    if (amount > limit) {
      return -1;
    }
    long freed = 0;
    for (long bucket = headBucket - BUCKETS + 1; bucket <= headBucket; bucket++) {
      freed += amounts[slot(bucket)];
      if (freed >= excess) {
        return expiry(bucket) - nowMs;
      }
    }
    return windowMs; // unreachable: everything in the window frees within it
  }

  /** Milliseconds until the window holds nothing again. */
  long msUntilEmpty(long nowMs) {
    advance(nowMs);
    for (long bucket = headBucket; bucket > headBucket - BUCKETS; bucket--) {
      if (amounts[slot(bucket)] > 0) {
        return expiry(bucket) - nowMs;
      }
    }
    return 0;
  }

  /** Moves the head to now, dropping the buckets that fell out of the window on the way. */
  private void advance(long nowMs) {
    long target = nowMs / bucketMs;
    if (target - headBucket >= BUCKETS) {
      Arrays.fill(amounts, 0);
      total = 0;
    } else {
      for (long bucket = headBucket + 1; bucket <= target; bucket++) {
        total -= amounts[slot(bucket)];
        amounts[slot(bucket)] = 0;
      }
    }
    headBucket = Math.max(headBucket, target);
  }

  /** The bucket's amount leaves the window when the head reaches the bucket one window later. */
  private long expiry(long bucket) {
    return (bucket + BUCKETS) * bucketMs;
  }

  private static int slot(long bucket) {
    return (int) Math.floorMod(bucket, (long) BUCKETS);
  }
}
