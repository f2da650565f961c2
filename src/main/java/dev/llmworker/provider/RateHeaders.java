package dev.llmworker.provider;

import io.vertx.core.MultiMap;

/**
 * What a provider said about its own limits in one answer: OpenAI's {@code x-ratelimit-*} or Anthropic's
 * {@code anthropic-ratelimit-*} headers. -1 where it said nothing.
 */
public record RateHeaders(long limitRequests, long remainingRequests, long limitTokens, long remainingTokens) {
  public static final RateHeaders NONE = new RateHeaders(-1, -1, -1, -1);

  public boolean any() {
    return limitRequests > 0 || limitTokens > 0;
  }

  static RateHeaders openAi(MultiMap h) {
    return new RateHeaders(number(h.get("x-ratelimit-limit-requests")), number(h.get("x-ratelimit-remaining-requests")),
        number(h.get("x-ratelimit-limit-tokens")), number(h.get("x-ratelimit-remaining-tokens")));
  }

  static RateHeaders anthropic(MultiMap h) {
    return new RateHeaders(number(h.get("anthropic-ratelimit-requests-limit")),
        number(h.get("anthropic-ratelimit-requests-remaining")),
        number(h.get("anthropic-ratelimit-tokens-limit")), number(h.get("anthropic-ratelimit-tokens-remaining")));
  }

  private static long number(String value) {
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
