package dev.llmworker.batchcli;

import dev.llmworker.client.Progress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code create --wait}: follows a batch to its end, says how it ended, downloads its files. Ctrl-C / SIGTERM stops
 * only this command (the batch goes on at the node) and says how to pick it up again.
 */
final class BatchFollower {
  private final BatchApi api;
  private final PrintWriter err;
  private final Duration every;

  BatchFollower(BatchApi api, PrintWriter err, Duration every) {
    this.api = api;
    this.err = err;
    this.every = every;
  }

  /** The exit code: 0 completed, 1 failed / expired / cancelled, {@link WaitSignals#EXIT_STOPPED} on a signal. */
  int follow(String id, DownloadTargets targets) throws InterruptedException {
    try (WaitSignals signals = WaitSignals.install()) {
      try {
        BatchObject batch = new BatchWait(api, new Progress(err, "batch"), every, signals.stopped()).until(id);
        report(batch);
        for (BatchFiles.Written written : new BatchFiles(api).download(batch, targets)) {
          say(written.describe());
        }
        String missing = BatchFiles.missing(batch);
        if (missing != null && batch.status() != BatchStatus.FAILED) {
          say(missing);
        }
        return batch.status().exitCode();
      } catch (InterruptedException e) {
        if (!signals.wasStopped()) {
          throw e;
        }
        say("stopped waiting; batch " + id + " goes on at the node. See how it is doing with: llm-worker batch get "
            + id + "; once it has ended, fetch its files with: llm-worker batch download " + id + " --out "
            + targets.output() + " --errors " + targets.errors());
        return WaitSignals.EXIT_STOPPED;
      }
    }
  }

  private void report(BatchObject batch) {
    List<BatchObject.InputError> errors = batch.errors();
    if (batch.status() == BatchStatus.FAILED && !errors.isEmpty()) {
      say("batch " + batch.id() + " failed: the input file was refused (" + errors.size()
          + (errors.size() == 1 ? " error):" : " errors):"));
      ErrorLines.of(errors).forEach(this::say);
      return;
    }
    BatchObject.Counts c = batch.counts();
    BatchObject.Figures f = batch.figures();
    say(String.format(Locale.ROOT, "batch %s %s: %,d completed, %,d failed of %,d requests%s", batch.id(),
        batch.statusText(), c.completed(), c.failed(), c.total(),
        f == null || f.costUsd() == null ? "" : ", " + BatchWait.dollars(f.costUsd())));
    ErrorLines.of(batch.errors()).forEach(this::say);
  }

  private void say(String line) {
    err.println(line);
    err.flush();
  }
}
