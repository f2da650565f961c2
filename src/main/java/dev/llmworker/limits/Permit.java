package dev.llmworker.limits;

import dev.llmworker.provider.RateHeaders;
import java.util.List;

/** Leave to make one call, and the place to report how it went so the budgets stay true. */
public final class Permit {
  private final Budgets owner;
  private final List<Budget> budgets;
  private final long charged;

  Permit(Budgets owner, List<Budget> budgets, long charged) {
    this.owner = owner;
    this.budgets = budgets;
    this.charged = charged;
  }

  public long charged() {
    return charged;
  }

  /** The provider answered; it counted {@code actualTokens}. Learns the provider's own limits from its headers. */
  public void used(long actualTokens, RateHeaders headers) {
    synchronized (owner) {
      long now = owner.now();
      budgets.forEach(b -> b.adjustTokens(charged - actualTokens));
      learn(headers, now);
    }
  }

  /** A 429: the request did not count, but the rate was too high. */
  public void rateLimited(long retryAfterMs, RateHeaders headers) {
    synchronized (owner) {
      long now = owner.now();
      learn(headers, now);
      budgets.forEach(b -> {
        b.refund(charged);
        b.rateLimited(now, retryAfterMs);
      });
    }
  }

  /** The request never reached the provider (connection refused, could not be built). */
  public void unused() {
    synchronized (owner) {
      budgets.forEach(b -> b.refund(charged));
    }
  }

  /** The headers describe the most specific limit: the model's when it has one, else the provider's. */
  private void learn(RateHeaders headers, long now) {
    if (headers.any()) {
      budgets.get(budgets.size() - 1).learn(headers, now);
    }
  }
}
