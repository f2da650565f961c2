package dev.llmworker.client;

import java.util.Iterator;
import java.util.TreeSet;

/**
 * Line numbers for a summary, written as ranges ("3, 7-9, 12"). Keeps at most {@code keep} of the lowest
 * numbers, so a file with millions of bad lines does not need them all in memory; the count stays exact.
 * Thread-safe: SQS refusals arrive from SDK threads.
 */
final class LineRanges {
  private final int keep;
  private final TreeSet<Long> lines = new TreeSet<>();
  private long count;

  LineRanges(int keep) {
    this.keep = keep;
  }

  synchronized void add(long line) {
    count++;
    lines.add(line);
    if (lines.size() > keep) {
      lines.pollLast();
    }
  }

  synchronized long count() {
    return count;
  }

  /** The first {@code maxRanges} ranges, then how many lines are not shown. */
  synchronized String describe(int maxRanges) {
    StringBuilder s = new StringBuilder();
    long shown = 0;
    int ranges = 0;
    Iterator<Long> it = lines.iterator();
    long first = -1;
    long last = -1;
    while (ranges < maxRanges) {
      Long next = it.hasNext() ? it.next() : null;
      if (next != null && next == last + 1) {
        last = next;
        continue;
      }
      if (first >= 0) {
        s.append(s.length() == 0 ? "" : ", ").append(first).append(first == last ? "" : "-" + last);
        shown += last - first + 1;
        ranges++;
      }
      if (next == null) {
        break;
      }
      first = next;
      last = next;
    }
    if (count > shown) {
      s.append(s.length() == 0 ? "" : " ")
          .append(String.format(java.util.Locale.ROOT, "and %,d more", count - shown));
    }
    return s.toString();
  }
}
