package dev.llmworker.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.LlmwConfig.Limit;
import dev.llmworker.provider.RateHeaders;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The budget's arithmetic on a simulated clock: pacing, learned limits, AIMD, reconciliation, shares. */
class BudgetTest {
  private long now = 1_000;

  /** Takes {@code count} requests as fast as the budget allows; returns the simulated milliseconds it took. */
  private long drive(Budget budget, int count, long cost) {
    long start = now;
    for (int i = 0; i < count; i++) {
      long wait;
      while ((wait = budget.waitMs(now, cost)) > 0) {
        now += wait;
      }
      budget.take(now, cost);
    }
    return now - start;
  }

  @Test
  @DisplayName("600 rpm paces 600 requests over about 62 s: a hair under the limit, never above it")
  void pacesRequests() {
    Budget budget = new Budget("p", "p", new Limit(600, 0), now);
    long took = drive(budget, 600, 10);
    double perMinute = 600 * 60_000.0 / took;
    assertTrue(perMinute <= 600 && perMinute >= 0.95 * 600, "rate " + perMinute);
  }

  @Test
  @DisplayName("no window of 60 s ever holds more than the rpm, however the requests come")
  void slidingWindowSafe() {
    Budget budget = new Budget("p", "p", new Limit(1200, 0), now);
    long[] times = new long[3000];
    for (int i = 0; i < times.length; i++) {
      drive(budget, 1, 1);
      times[i] = now;
    }
    int first = 0;
    for (int i = 0; i < times.length; i++) {
      while (times[i] - times[first] >= 60_000) {
        first++;
      }
      assertTrue(i - first + 1 <= 1200, "window ending at " + times[i] + " holds " + (i - first + 1));
    }
  }

  @Test
  @DisplayName("tokens per minute bound the rate at the request's size, and answers that cost less give tokens back")
  void tokensAndReconciliation() {
    Budget budget = new Budget("p", "p", new Limit(0, 60_000), now);
    long took = drive(budget, 100, 1000); // 100k tokens at 60k/min: about 100 s
    assertTrue(took >= 95_000 && took <= 110_000, "took " + took);
    Budget refunded = new Budget("q", "q", new Limit(0, 60_000), now);
    long start = now;
    for (int i = 0; i < 100; i++) {
      drive(refunded, 1, 1000);
      refunded.adjustTokens(500); // the provider counted half
    }
    assertTrue(now - start < took * 0.7, "reconciled run took " + (now - start) + " vs " + took);
  }

  @Test
  @DisplayName("the provider's x-ratelimit-limit headers lower a configured budget that is too high")
  void learnsFromHeaders() {
    Budget budget = new Budget("p", "p", new Limit(720, 0), now);
    budget.learn(new RateHeaders(600, 599, -1, -1), now);
    assertEquals(600, budget.rpmLimit());
    double perMinute = 300 * 60_000.0 / drive(budget, 300, 1);
    assertTrue(perMinute <= 600 && perMinute > 560, "rate " + perMinute);
  }

  @Test
  @DisplayName("a 429 pauses the budget for Retry-After and cuts the rate; clean time brings it back step by step")
  void aimd() {
    Budget budget = new Budget("p", "p", new Limit(600, 0), now);
    drive(budget, 10, 1);
    budget.rateLimited(now, 3000);
    assertTrue(budget.waitMs(now, 1) >= 3000, "paused for Retry-After");
    assertEquals(0.7, budget.snapshot(now).getDouble("factor"), 1e-9);
    budget.rateLimited(now + 10, 0); // same second: counted once
    assertEquals(0.7, budget.snapshot(now).getDouble("factor"), 1e-9);
    now += 3000;
    drive(budget, 100, 1); // about 14 s at the lowered rate
    double factor = budget.snapshot(now).getDouble("factor");
    assertTrue(factor > 0.7 && factor <= 1.0, "recovering: " + factor);
  }

  @Test
  @DisplayName("a node's share scales its rate: two nodes at 0.5 each use the budget once between them")
  void shares() {
    Budget budget = new Budget("p", "p", new Limit(600, 0), now);
    budget.setShare(0.5, now);
    double perMinute = 200 * 60_000.0 / drive(budget, 200, 1);
    assertTrue(perMinute <= 300 && perMinute > 280, "rate " + perMinute);
  }
}
