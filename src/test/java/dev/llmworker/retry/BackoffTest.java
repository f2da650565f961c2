package dev.llmworker.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  @DisplayName("attempt n waits base × 2^(n-1) ± 25%, never above the cap")
  void doublesWithJitterUnderTheCap() {
    Backoff b = new Backoff(100, 1_000);
    for (int i = 0; i < 200; i++) {
      long first = b.delayMs(1);
      assertTrue(first >= 75 && first <= 125, "attempt 1: " + first);
      long third = b.delayMs(3);
      assertTrue(third >= 300 && third <= 500, "attempt 3: " + third);
      assertTrue(b.delayMs(50) <= 1_000, "capped");
      assertTrue(b.delayMs(50) >= 750, "near the cap");
    }
  }

  @Test
  @DisplayName("a Retry-After wins over the curve, plus at most 10% (at least 50 ms) of jitter")
  void retryAfterWins() {
    Backoff b = new Backoff(100, 1_000);
    for (int i = 0; i < 200; i++) {
      long d = b.delayMs(1, 30_000);
      assertTrue(d >= 30_000 && d <= 33_000, String.valueOf(d));
      long small = b.delayMs(5, 0);
      assertTrue(small >= 0 && small <= 50, String.valueOf(small));
    }
  }

  @Test
  @DisplayName("in seconds, a delay is at most SQS's 12 hours; a bad policy is refused")
  void seconds() {
    Backoff day = Backoff.ofSeconds(60, 100_000);
    assertEquals(Backoff.MAX_SQS_SECONDS, day.delaySeconds(30));
    assertEquals(0, Backoff.ofSeconds(0, 0).delaySeconds(3));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(10, 5));
  }
}
