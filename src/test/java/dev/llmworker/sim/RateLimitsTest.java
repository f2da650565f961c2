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
  @DisplayName("a window that is not a multiple of 600 ms (5 s) still lasts exactly its length, not the 4.8 s of "
      + "600 whole-ms buckets")
  void windowNotAMultipleOf600Ms() {
    RateLimits limits = new RateLimits(600, 0, 5);
    for (int i = 0; i < 50; i++) {
      assertNull(limits.admit(1000, 1), "request " + (i + 1));
    }
    RateLimits.Rejection refused = limits.admit(5800, 1);
    assertNotNull(refused, "the 51st 4.8 s later is still within the 5 s window");
    assertEquals(200, refused.retryMs(), "free again at 6000, 5 s after the first 50");
    assertNotNull(limits.admit(5999, 1));
    assertNull(limits.admit(6000, 1));
  }

  @Test
  @DisplayName("every window from 1 to 60 s holds what it counted for exactly its length")
  void everyWindowLength() {
    for (int seconds = 1; seconds <= 60; seconds++) {
      long windowMs = seconds * 1000L;
      RateWindow window = new RateWindow(windowMs);
      window.add(3 * windowMs, 7);
      assertEquals(windowMs, window.msUntilEmpty(3 * windowMs), seconds + " s");
      assertEquals(7, window.used(4 * windowMs - 1), seconds + " s");
      assertEquals(0, window.used(4 * windowMs), seconds + " s");
    }
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
