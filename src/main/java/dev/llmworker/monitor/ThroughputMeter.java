package dev.llmworker.monitor;

import java.util.ArrayDeque;

/** Tasks per second over the last ten one-second samples of a growing counter. */
final class ThroughputMeter {
  private static final int WINDOW = 10;
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();

  synchronized void sample(long count) {
    samples.addLast(new long[] {System.nanoTime(), count});
    while (samples.size() > WINDOW + 1) {
      samples.removeFirst();
    }
  }

  synchronized double perSecond() {
    if (samples.size() < 2) {
      return 0;
    }
    long[] first = samples.peekFirst();
    long[] last = samples.peekLast();
    double seconds = (last[0] - first[0]) / 1e9;
    return seconds <= 0 ? 0 : Math.round((last[1] - first[1]) / seconds * 10) / 10.0;
  }
}
