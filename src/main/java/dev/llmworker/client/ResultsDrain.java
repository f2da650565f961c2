package dev.llmworker.client;

import dev.llmworker.sqs.QueueDepth;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The loop of {@code results}: take what the receivers got, append each line to the results or errors file,
 * force both to disk once per batch, and only then delete the batch's messages. A crash at any point loses
 * nothing: a message is gone from the queue only after its line is on disk.
 */
final class ResultsDrain {
  private static final long TAKE_WAIT_MS = 200;
  private static final long DEPTH_EVERY_MS = 2_000;

  private final ResultReceivers receivers;
  private final ResultRouter router;
  private final ResultsFile results;
  private final ResultsFile errors;
  private final ResultDeleter deleter;
  private final Progress progress;
  private final LeftInQueue left;

  ResultsDrain(ResultReceivers receivers, ResultRouter router, ResultsFile results, ResultsFile errors,
      ResultDeleter deleter, Progress progress, LeftInQueue left) {
    this.receivers = receivers;
    this.router = router;
    this.results = results;
    this.errors = errors;
    this.deleter = deleter;
    this.progress = progress;
    this.left = left;
  }

  /** Runs until the receivers end (queue empty, or {@link #stop()}); every delete is done when it returns. */
  ResultRouter.Tally run() {
    receivers.start();
    try {
      while (!receivers.finished()) {
        List<Message> batch = receivers.next(TAKE_WAIT_MS);
        if (!batch.isEmpty()) {
          store(batch);
        }
        showProgress();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      receivers.stop();
    } catch (RuntimeException e) {
      // a file cannot be written: receive nothing more; what was received comes again after its visibility
      receivers.abandon();
      throw e;
    } finally {
      deleter.awaitAll();
      progress.finish();
    }
    if (receivers.failure() != null) {
      throw receivers.failure();
    }
    return router.tally();
  }

  ResultDeleter deleter() {
    return deleter;
  }

  /** Finishes the batch in hand (write, force, delete) and ends; for SIGTERM / Ctrl-C. */
  void stop() {
    receivers.stop();
  }

  private void store(List<Message> batch) {
    ByteArrayOutputStream toResults = new ByteArrayOutputStream();
    ByteArrayOutputStream toErrors = new ByteArrayOutputStream();
    for (Message message : batch) {
      ResultRouter.Routed routed = router.route(message.messageId(), message.body());
      switch (routed.target()) {
        case RESULTS -> appendLine(toResults, routed.line());
        case ERRORS -> appendLine(toErrors, routed.line());
        case DUPLICATE -> { }
      }
    }
    writeAndForce(results, toResults);
    writeAndForce(errors, toErrors);
    // duplicates are deleted too: their lines were forced with an earlier batch, a previous run, or this one
    deleter.delete(batch);
  }

  private static void writeAndForce(ResultsFile file, ByteArrayOutputStream lines) {
    if (lines.size() > 0) {
      file.append(lines.toByteArray());
      file.force();
    }
  }

  private static void appendLine(ByteArrayOutputStream to, String line) {
    to.writeBytes(line.getBytes(StandardCharsets.UTF_8));
    to.write('\n');
  }

  private void showProgress() {
    ResultRouter.Tally tally = router.tally();
    long written = tally.written();
    long remaining = left.approximate(written);
    double fraction = remaining < 0 ? -1 : written + remaining == 0 ? 1 : (double) written / (written + remaining);
    progress.update(written, fraction, String.format(java.util.Locale.ROOT, "%,d errors, %,d duplicates skipped",
        tally.errors, tally.duplicates));
  }

  /**
   * Approximate results still in the queue, read in the background every ~2 s; between reads, what was written
   * since the last one is taken off (a count two seconds old would hold the bar back). -1 when unknown.
   */
  static final class LeftInQueue {
    private final SqsAsyncClient sqs;
    private final String queueUrl;
    private final boolean known;
    private volatile long[] lastRead = {-1, 0};
    private volatile long readAtMs;
    private volatile boolean reading;

    /** @param known false with --follow: more results keep coming, there is no whole to be a fraction of */
    LeftInQueue(SqsAsyncClient sqs, String queueUrl, boolean known) {
      this.sqs = sqs;
      this.queueUrl = queueUrl;
      this.known = known;
    }

    /** @param written lines written so far */
    long approximate(long written) {
      long now = System.currentTimeMillis();
      if (known && !reading && now - readAtMs >= DEPTH_EVERY_MS) {
        reading = true;
        readAtMs = now;
        QueueDepth.fetch(sqs, queueUrl).whenComplete((depth, error) -> {
          if (depth != null) {
            lastRead = new long[] {depth.visible() + depth.inFlight(), written};
          }
          reading = false;
        });
      }
      long[] read = lastRead;
      return read[0] < 0 ? -1 : Math.max(0, read[0] - (written - read[1]));
    }
  }
}
