package dev.llmworker.limits;

/**
 * A token bucket with a small burst: it refills continuously at {@code ratePerMs} up to one {@link #BURST_MS} of
 * rate. The small burst keeps every window of any length under the provider's budget, be the provider's own
 * limiter a sliding window (strict) or a minute-sized bucket (lenient). Not thread-safe: {@link Budget} guards it.
 */
final class TokenBucket {
  static final double BURST_MS = 200;

  private double ratePerMs;
  private double capacity;
  private double level;
  private long lastMs;

  TokenBucket(double ratePerMs, long nowMs) {
    this.lastMs = nowMs;
    setRate(ratePerMs, nowMs);
    this.level = capacity;
  }

  /** 0 (or less) means unlimited. */
  void setRate(double newRatePerMs, long nowMs) {
    refill(nowMs);
    ratePerMs = newRatePerMs;
    capacity = Math.max(1, newRatePerMs * BURST_MS);
    level = Math.min(level, capacity);
  }

  boolean unlimited() {
    return ratePerMs <= 0;
  }

  /**
   * Milliseconds until {@code amount} may be taken: 0 now. An amount larger than the burst is allowed once the
   * bucket is full and leaves it in debt, so a big request waits its turn instead of forever.
   */
  long waitMs(long nowMs, double amount) {
    if (unlimited()) {
      return 0;
    }
    refill(nowMs);
    double needed = Math.min(amount, capacity);
    return level >= needed ? 0 : (long) Math.ceil((needed - level) / ratePerMs);
  }

  void take(double amount) {
    if (!unlimited()) {
      level -= amount;
    }
  }

  /** Gives back (or, negative, charges more of) what an estimate got wrong; never above the burst. */
  void adjust(double amount) {
    if (!unlimited()) {
      level = Math.min(capacity, level + amount);
    }
  }

  /** Empties the bucket, e.g. after the provider said 429: whatever we thought we had, we had not. */
  void drain(long nowMs) {
    refill(nowMs);
    level = Math.min(level, 0);
  }

  double ratePerMs() {
    return ratePerMs;
  }

  private void refill(long nowMs) {
    if (nowMs > lastMs) {
      level = Math.min(capacity, level + (nowMs - lastMs) * ratePerMs);
      lastMs = nowMs;
    }
  }
}
