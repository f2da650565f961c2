package dev.llmworker.sim;

import io.vertx.core.MultiMap;
import java.math.BigDecimal;

/**
 * The rpm and tpm limits, with the OpenAI-style {@code x-ratelimit-*} headers that describe them. One instance
 * serves every dialect, so a client that spreads its calls over several wire formats still meets one limit.
 */
final class RateLimits {
  /** Why a request was turned away and how long until it would fit. */
  record Rejection(String type, long retryMs, String message) {}

  /** One window as a client sees it: its limit, what is left, and in how many ms it is empty again. */
  record Usage(long limit, long remaining, long resetMs) {}

  /** Per minute, as configured and as the headers state them. */
  private final long rpm;
  private final long tpm;
  /** Per window: the same rates over a window of {@code windowSeconds}. */
  private final long requestsPerWindow;
  private final long tokensPerWindow;
  private final RateWindow requests;
  private final RateWindow tokens;

  RateLimits(long rpm, long tpm) {
    this(rpm, tpm, 60);
  }

  RateLimits(long rpm, long tpm, int windowSeconds) {
    this.rpm = rpm;
    this.tpm = tpm;
    this.requestsPerWindow = perWindow(rpm, windowSeconds);
    this.tokensPerWindow = perWindow(tpm, windowSeconds);
    this.requests = new RateWindow(windowSeconds * 1000L);
    this.tokens = new RateWindow(windowSeconds * 1000L);
  }

  private static long perWindow(long perMinute, int windowSeconds) {
    return perMinute == 0 ? 0 : Math.max(1, perMinute * windowSeconds / 60);
  }

  /** Counts the request against both windows and returns null, or returns why not; a rejection costs nothing. */
  Rejection admit(long nowMs, long tokenCost) {
    if (rpm > 0) {
      long wait = requests.msUntilRoom(nowMs, 1, requestsPerWindow);
      if (wait != 0) {
        return new Rejection("requests", wait, "Rate limit reached on requests per min (RPM): Limit " + rpm
            + ", Used " + requests.used(nowMs) + ", Requested 1. Please try again in " + duration(wait) + ".");
      }
    }
    if (tpm > 0) {
      long wait = tokens.msUntilRoom(nowMs, tokenCost, tokensPerWindow);
      if (wait < 0) {
        return new Rejection("tokens", tokens.windowMs(), "Request too large for tokens per min (TPM): Limit "
            + tpm + ", Requested " + tokenCost + ".");
      }
      if (wait > 0) {
        return new Rejection("tokens", wait, "Rate limit reached on tokens per min (TPM): Limit " + tpm + ", Used "
            + tokens.used(nowMs) + ", Requested " + tokenCost + ". Please try again in " + duration(wait) + ".");
      }
    }
    requests.add(nowMs, 1);
    tokens.add(nowMs, tokenCost);
    return null;
  }

  /**
   * The rpm window, or null when requests are unlimited. The limit is stated per minute; with a window shorter than
   * a minute, what remains is of the window's share.
   */
  Usage requests(long nowMs) {
    return rpm > 0 ? usage(requests, nowMs, rpm, requestsPerWindow) : null;
  }

  /** The tpm window, or null when tokens are unlimited. */
  Usage tokens(long nowMs) {
    return tpm > 0 ? usage(tokens, nowMs, tpm, tokensPerWindow) : null;
  }

  private static Usage usage(RateWindow window, long nowMs, long perMinute, long perWindow) {
    return new Usage(perMinute, Math.max(0, perWindow - window.used(nowMs)), window.msUntilEmpty(nowMs));
  }

  /** OpenAI's (and Azure's) headers. */
  void putHeaders(long nowMs, MultiMap headers) {
    Usage r = requests(nowMs);
    if (r != null) {
      headers.set("x-ratelimit-limit-requests", String.valueOf(r.limit()))
          .set("x-ratelimit-remaining-requests", String.valueOf(r.remaining()))
          .set("x-ratelimit-reset-requests", duration(r.resetMs()));
    }
    Usage t = tokens(nowMs);
    if (t != null) {
      headers.set("x-ratelimit-limit-tokens", String.valueOf(t.limit()))
          .set("x-ratelimit-remaining-tokens", String.valueOf(t.remaining()))
          .set("x-ratelimit-reset-tokens", duration(t.resetMs()));
    }
  }

  /** OpenAI's duration style: {@code 250ms}, {@code 1s}, {@code 59.9s}, {@code 1m0s}. */
  static String duration(long ms) {
    if (ms < 1000) {
      return ms + "ms";
    }
    String seconds = BigDecimal.valueOf(ms % 60_000, 3).stripTrailingZeros().toPlainString();
    return ms >= 60_000 ? ms / 60_000 + "m" + seconds + "s" : seconds + "s";
  }
}
