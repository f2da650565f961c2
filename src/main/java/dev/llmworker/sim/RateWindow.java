package dev.llmworker.sim;

import java.util.Arrays;

/**
 * A sum over a sliding window (60 s unless a test shortens it), kept in a ring of 600 to 1000 buckets, so memory and
 * work per request stay constant however fast requests come. Times are milliseconds on any monotonic clock that
 * starts at 0 or more. Not thread-safe: one event loop owns it.
 */
final class RateWindow {
  static final long MINUTE_MS = 60_000;
  private static final int MIN_BUCKETS = 600;

  private final long windowMs;
  private final long bucketMs;
  private final int buckets;
  private final long[] amounts;
  private long headBucket;
  private long total;

  RateWindow() {
    this(MINUTE_MS);
  }

  /**
   * {@code windowMs}: whole seconds. The buckets must tile the window exactly or it would end early (600 buckets of
   * 8 ms make 4.8 s, not 5 s), so a bucket is the longest whole number of ms that divides the window at least 600
   * times: 100 ms for a minute, 8 ms (625 buckets) for 5 s, 1 ms (1000 buckets) for 1 s.
   */
  RateWindow(long windowMs) {
    if (windowMs <= 0 || windowMs % 1000 != 0) {
      throw new IllegalArgumentException("a rate window is a whole number of seconds, got " + windowMs + " ms");
    }
    long bucket = windowMs / MIN_BUCKETS;
    while (windowMs % bucket != 0) {
      bucket--;
    }
    this.windowMs = windowMs;
    this.bucketMs = bucket;
    this.buckets = (int) (windowMs / bucket);
    this.amounts = new long[buckets];
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
    for (long bucket = headBucket - buckets + 1; bucket <= headBucket; bucket++) {
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
    for (long bucket = headBucket; bucket > headBucket - buckets; bucket--) {
      if (amounts[slot(bucket)] > 0) {
        return expiry(bucket) - nowMs;
      }
    }
    return 0;
  }

  /** Moves the head to now, dropping the buckets that fell out of the window on the way. */
  private void advance(long nowMs) {
    long target = nowMs / bucketMs;
    if (target - headBucket >= buckets) {
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
    return (bucket + buckets) * bucketMs;
  }

  private int slot(long bucket) {
    return (int) Math.floorMod(bucket, (long) buckets);
  }
}
