package dev.llmworker.limits;

import dev.llmworker.app.LlmwConfig.Limit;
import dev.llmworker.provider.RateHeaders;
import io.vertx.core.json.JsonObject;

/**
 * The rate budget of one provider (or one model of a provider) on this node. The limit is the configured one,
 * lowered to what the provider's own headers say; this node uses its {@code share} of it (1 alone, less in a
 * cluster); and an AIMD factor lowers it on 429s and brings it back slowly. Not thread-safe: {@link Budgets}
 * holds one lock for all budgets, so a task can take from two budgets at once.
 */
final class Budget {
  /** Pace a little under the limit so estimates that run short and clock skew do not cost 429s. */
  static final double HEADROOM = 0.97;
  static final double DECREASE = 0.7;
  static final double INCREASE = 0.05;
  static final long INCREASE_EVERY_MS = 2000;
  static final double MIN_FACTOR = 0.05;
  private static final long DEFAULT_PAUSE_MS = 1000;
  /** Tokens per request assumed for admission until the first request shows the real size. */
  private static final double UNKNOWN_TOKENS = 1000;

  final String key;
  final String provider;
  private Limit configured;
  private final TokenBucket requests;
  private final TokenBucket tokens;
  private long learnedRpm = -1;
  private long learnedTpm = -1;
  private double share = 1.0;
  private double factor = 1.0;
  private long pausedUntil;
  private long lastDecrease = Long.MIN_VALUE / 2;
  private long lastIncrease;
  private double avgTokens;
  private long lastUsed = Long.MIN_VALUE / 2;
  int waiting;
  long granted;
  long grantedAtLastDemand;
  long rateLimited;

  Budget(String key, String provider, Limit configured, long nowMs) {
    this.key = key;
    this.provider = provider;
    this.configured = configured;
    this.requests = new TokenBucket(0, nowMs);
    this.tokens = new TokenBucket(0, nowMs);
    this.lastIncrease = nowMs;
    applyRates(nowMs);
  }

  /** 0 when the request may go now, else how long to wait. */
  long waitMs(long nowMs, long cost) {
    if (nowMs < pausedUntil) {
      return pausedUntil - nowMs;
    }
    return Math.max(requests.waitMs(nowMs, 1), tokens.waitMs(nowMs, cost));
  }

  void take(long nowMs, long cost) {
    lastUsed = nowMs;
    requests.take(1);
    tokens.take(cost);
    granted++;
    avgTokens = avgTokens == 0 ? cost : avgTokens * 0.95 + cost * 0.05;
    if (factor < 1 && nowMs - Math.max(lastDecrease, lastIncrease) >= INCREASE_EVERY_MS) {
      factor = Math.min(1, factor + INCREASE);
      lastIncrease = nowMs;
      applyRates(nowMs);
    }
  }

  /** Positive: the estimate was too high, give tokens back; negative: charge what it missed. */
  void adjustTokens(long delta) {
    tokens.adjust(delta);
  }

  /** The provider did not count the request (it refused it, or it never arrived). */
  void refund(long cost) {
    requests.adjust(1);
    tokens.adjust(cost);
  }

  /** A 429: wait what the provider asked, and lower the rate (at most once a second, so a burst counts once). */
  void rateLimited(long nowMs, long retryAfterMs) {
    rateLimited++;
    pausedUntil = Math.max(pausedUntil, nowMs + (retryAfterMs >= 0 ? retryAfterMs : DEFAULT_PAUSE_MS));
    if (nowMs - lastDecrease >= 1000) {
      factor = Math.max(MIN_FACTOR, factor * DECREASE);
      lastDecrease = nowMs;
      applyRates(nowMs);
    }
    requests.drain(nowMs);
    tokens.drain(nowMs);
  }

  /** The provider's own limit headers win over a configured budget that is larger. */
  void learn(RateHeaders headers, long nowMs) {
    long rpm = headers.limitRequests() > 0 ? headers.limitRequests() : learnedRpm;
    long tpm = headers.limitTokens() > 0 ? headers.limitTokens() : learnedTpm;
    if (rpm != learnedRpm || tpm != learnedTpm) {
      learnedRpm = rpm;
      learnedTpm = tpm;
      applyRates(nowMs);
    }
  }

  /** A new configured limit (changed at run time from the dashboard); learned header limits still bound it. */
  void configure(Limit limit, long nowMs) {
    configured = limit;
    applyRates(nowMs);
  }

  void setShare(double value, long nowMs) {
    if (Math.abs(value - share) > 1e-6) {
      share = value;
      applyRates(nowMs);
    }
  }

  boolean limited() {
    return rpmLimit() > 0 || tpmLimit() > 0;
  }

  /** Requests per second this node may start now, counting tokens at the average request's size. */
  double requestsPerSecond() {
    double perSecond = Double.MAX_VALUE;
    if (!requests.unlimited()) {
      perSecond = requests.ratePerMs() * 1000;
    }
    if (!tokens.unlimited()) {
      perSecond = Math.min(perSecond, tokens.ratePerMs() * 1000 / (avgTokens > 0 ? avgTokens : UNKNOWN_TOKENS));
    }
    return perSecond;
  }

  /** Tasks this budget can start within the horizon beyond those waiting for it. */
  long room(long horizonMs) {
    double perHorizon = Math.min(1_000_000, requestsPerSecond() * horizonMs / 1000.0);
    return Math.max(0, (long) Math.floor(perHorizon) + 1 - waiting);
  }

  boolean usedWithin(long nowMs, long ms) {
    return nowMs - lastUsed <= ms;
  }

  long rpmLimit() {
    return min(configured.rpm(), learnedRpm);
  }

  long tpmLimit() {
    return min(configured.tpm(), learnedTpm);
  }

  private static long min(long configured, long learned) {
    if (configured > 0 && learned > 0) {
      return Math.min(configured, learned);
    }
    return Math.max(Math.max(configured, learned), 0);
  }

  private void applyRates(long nowMs) {
    double scale = factor * share * HEADROOM / 60_000.0;
    requests.setRate(rpmLimit() * scale, nowMs);
    tokens.setRate(tpmLimit() * scale, nowMs);
  }

  JsonObject snapshot(long nowMs) {
    return new JsonObject()
        .put("key", key)
        .put("provider", provider)
        .put("rpm_limit", rpmLimit())
        .put("tpm_limit", tpmLimit())
        .put("rpm_configured", configured.rpm())
        .put("tpm_configured", configured.tpm())
        .put("rpm_effective", Math.round(requests.ratePerMs() * 60_000))
        .put("tpm_effective", Math.round(tokens.ratePerMs() * 60_000))
        .put("share", share)
        .put("factor", factor)
        .put("paused_ms", Math.max(0, pausedUntil - nowMs))
        .put("waiting", waiting)
        .put("granted", granted)
        .put("rate_limited", rateLimited);
  }
}
