package dev.llmworker.batchcli;

import dev.llmworker.client.Progress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Polls a batch until it ends, showing its progress (done/total, rate, ETA and cost from the node's {@code llmw}
 * figures) and each change of status. A node that stops answering for a while is waited for, not given up at once.
 */
final class BatchWait {
  /** How long the node may not answer before the wait gives up. */
  static final Duration UNREACHABLE_LIMIT = Duration.ofSeconds(60);

  private final BatchApi api;
  private final Progress progress;
  private final Duration every;
  private final CountDownLatch stop;

  /** @param stop released to stop waiting: {@link #until} then throws InterruptedException */
  BatchWait(BatchApi api, Progress progress, Duration every, CountDownLatch stop) {
    this.api = api;
    this.progress = progress;
    this.every = every;
    this.stop = stop;
  }

  /** The batch once it has ended. */
  BatchObject until(String id) throws InterruptedException {
    String status = null;
    long unreachableSince = 0;
    while (true) {
      BatchObject batch = null;
      try {
        batch = api.get(id);
        unreachableSince = 0;
      } catch (Unreachable e) {
        long now = System.nanoTime();
        if (unreachableSince == 0) {
          unreachableSince = now;
          progress.println(e.getMessage() + "; trying again for " + UNREACHABLE_LIMIT.toSeconds() + " s");
        } else if (now - unreachableSince > UNREACHABLE_LIMIT.toNanos()) {
          throw e;
        }
      }
      if (batch != null) {
        if (batch.status().ended()) {
          progress.finish();
          return batch;
        }
        if (!batch.statusText().equals(status)) {
          status = batch.statusText();
          progress.println(id + ": " + status);
        }
        if (batch.counts().total() > 0) {
          show(batch);
        }
      }
      if (stop.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
        progress.finish();
        throw new InterruptedException("stopped waiting");
      }
    }
  }

  private void show(BatchObject batch) {
    BatchObject.Counts counts = batch.counts();
    BatchObject.Figures figures = batch.figures();
    long done = batch.done();
    double fraction = counts.total() > 0 ? (double) done / counts.total() : -1;
    Progress.Figures known = figures == null ? null : new Progress.Figures(counts.total() > 0 ? counts.total() : -1,
        figures.perSecond(), figures.etaSeconds() == null ? -1 : figures.etaSeconds());
    progress.update(done, fraction, detail(batch, counts, figures), known);
  }

  static String detail(BatchObject batch, BatchObject.Counts counts, BatchObject.Figures figures) {
    StringBuilder s = new StringBuilder(batch.statusText());
    if (counts.failed() > 0) {
      s.append(String.format(Locale.ROOT, "  %,d failed", counts.failed()));
    }
    if (figures != null && figures.costUsd() != null) {
      s.append("  ").append(dollars(figures.costUsd()));
    }
    return s.toString();
  }

  static String dollars(double usd) {
    return usd < 1 ? String.format(Locale.ROOT, "$%.4f", usd) : String.format(Locale.ROOT, "$%,.2f", usd);
  }
}
