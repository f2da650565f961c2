package dev.llmworker.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The simulator's limiter on a chosen clock: sliding windows of any length from 1 to 60 s. */
class RateLimitsTest {
  @Test
  @DisplayName("a 6 s window at 600 rpm admits 60 requests, refuses the 61st until the first leaves the window, "
      + "and states the per-minute limit")
  void shortWindow() {
    RateLimits limits = new RateLimits(600, 0, 6);
    for (int i = 0; i < 60; i++) {
      assertNull(limits.admit(1000 + i * 10, 1), "request " + (i + 1));
    }
    RateLimits.Rejection refused = limits.admit(1700, 1);
    assertNotNull(refused, "the 61st within 6 s");
    assertEquals("requests", refused.type());
    assertTrue(refused.retryMs() > 5000 && refused.retryMs() <= 6000, "retry in " + refused.retryMs());
    assertNull(limits.admit(1700 + refused.retryMs(), 1), "admitted once the first request left the window");
    assertEquals(600, limits.requests(1700).limit(), "headers state the per-minute limit");
  }

  @Test
  @DisplayName("the default window is a strict minute")
  void minute() {
    RateLimits limits = new RateLimits(60, 0);
    for (int i = 0; i < 60; i++) {
      assertNull(limits.admit(i * 100, 1));
    }
    RateLimits.Rejection refused = limits.admit(30_000, 1);
    assertNotNull(refused);
    assertTrue(refused.retryMs() > 29_000 && refused.retryMs() <= 30_000, "retry in " + refused.retryMs());
  }
}
