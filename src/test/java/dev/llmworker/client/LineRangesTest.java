package dev.llmworker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LineRangesTest {
  @Test
  @DisplayName("line numbers arriving in any order are written as sorted ranges")
  void ranges() {
    LineRanges lines = new LineRanges(100);
    for (long n : new long[] {9, 2, 3, 4, 12, 10, 11, 20}) {
      lines.add(n);
    }

    assertEquals("2-4, 9-12, 20", lines.describe(10));
    assertEquals(8, lines.count());
  }

  @Test
  @DisplayName("past the shown ranges, and past the numbers kept, the rest is counted exactly")
  void capped() {
    LineRanges lines = new LineRanges(5);
    for (long n = 1; n <= 1_000_000; n += 2) {
      lines.add(n);
    }

    assertEquals("1, 3, 5 and 499,997 more", lines.describe(3));
    assertEquals("1, 3, 5, 7, 9 and 499,995 more", lines.describe(50));
  }
}
