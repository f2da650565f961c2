package dev.llmworker.client;

import dev.llmworker.task.TaskRejected;
import java.io.IOException;
import java.util.Locale;

/**
 * The read loop of {@code submit}: each non-blank line is checked, then handed to the sender (which blocks while
 * enough batches are out) or reported; progress is bytes read over the file size.
 */
final class TaskFileSubmitter {
  private static final long PROGRESS_EVERY_NANOS = 100_000_000;

  private final TaskLineCheck check;
  private final TaskBatchSender sender;
  private final SubmitTally tally;
  private final Progress progress;

  TaskFileSubmitter(TaskLineCheck check, TaskBatchSender sender, SubmitTally tally, Progress progress) {
    this.check = check;
    this.sender = sender;
    this.tally = tally;
    this.progress = progress;
  }

  /**
   * Sends every good line of {@code input} and waits until all are settled.
   *
   * @param size the file's size in bytes, 0 or less when unknown (a pipe)
   * @return the line sending stopped at when the queue became unusable, or 0 when the whole file was read
   */
  long run(InputLines input, long size) throws IOException, InterruptedException {
    long nextProgress = System.nanoTime() + PROGRESS_EVERY_NANOS;
    InputLines.Line line;
    long stoppedAt = 0;
    while ((line = input.next()) != null) {
      tally.read();
      if (!submit(line)) {
        stoppedAt = line.number();
        break;
      }
      if (System.nanoTime() - nextProgress >= 0) {
        nextProgress = System.nanoTime() + PROGRESS_EVERY_NANOS;
        showProgress(input, size);
      }
    }
    sender.finish();
    showProgress(input, size);
    progress.finish();
    return stoppedAt;
  }

  /** False when the sender has stopped. */
  private boolean submit(InputLines.Line line) throws InterruptedException {
    CheckedTask task;
    try {
      task = check.check(line);
    } catch (TaskRejected e) {
      tally.rejected(line.number(), e.code(), e.getMessage());
      return true;
    }
    return sender.add(task);
  }

  private void showProgress(InputLines input, long size) {
    double fraction = size > 0 ? (double) input.bytesRead() / size : -1;
    progress.update(tally.sent(), fraction, String.format(Locale.ROOT, "%,d rejected", tally.notSent()));
  }
}
