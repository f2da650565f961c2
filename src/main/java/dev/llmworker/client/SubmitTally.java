package dev.llmworker.client;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of the lines of a submitted file: counts, the numbers of the lines not sent, and one message per
 * such line on the progress stream. Thread-safe: SQS outcomes arrive from SDK threads.
 */
final class SubmitTally implements TaskBatchSender.Outcomes {
  private static final int KEPT_LINE_NUMBERS = 10_000;
  private static final int SHOWN_RANGES = 20;

  private final Progress progress;
  private final AtomicLong lines = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final LineRanges notSent = new LineRanges(KEPT_LINE_NUMBERS);

  SubmitTally(Progress progress) {
    this.progress = progress;
  }

  /** A non-blank line was read. */
  void read() {
    lines.incrementAndGet();
  }

  /** A line failed a check before sending. */
  void rejected(long line, String code, String reason) {
    notSent.add(line);
    progress.println("line " + line + ": " + code + ": " + reason);
  }

  @Override
  public void sent(int count) {
    sent.addAndGet(count);
  }

  @Override
  public void refused(long line, String code, String reason) {
    refused.incrementAndGet();
    notSent.add(line);
    progress.println("line " + line + ": " + code + ": not sent: " + reason);
  }

  long lines() {
    return lines.get();
  }

  long sent() {
    return sent.get();
  }

  /** Lines not sent, for any reason. */
  long notSent() {
    return notSent.count();
  }

  /**
   * "sent 25 of 30 lines to URL in 1.2 s (21/s); rejected 5" and, when lines were rejected, which ones and how
   * many of them SQS refused.
   */
  String summary(String queueUrl, long elapsedMs) {
    double seconds = elapsedMs / 1000.0;
    String text = String.format(Locale.ROOT, "sent %,d of %,d lines to %s in %.1f s (%,.0f/s); rejected %,d",
        sent(), lines(), queueUrl, seconds, seconds > 0 ? sent() / seconds : 0.0, notSent());
    if (notSent() > 0) {
      text += String.format(Locale.ROOT, "%nrejected lines: %s (%,d of them refused by SQS)",
          notSent.describe(SHOWN_RANGES), refused.get());
    }
    return text;
  }
}
