package dev.llmworker.worker;

/**
 * The one owner of a running task's deadline ({@code worker.taskTimeoutSeconds} from when the worker took it), and
 * whether its poller has given it back. Checked before every attempt and every retry wait: a task past its deadline
 * or cancelled makes no further call.
 */
final class TaskControl {
  private final long deadlineNanos;
  private boolean cancelled;

  TaskControl(long timeoutMs) {
    this.deadlineNanos = System.nanoTime() + timeoutMs * 1_000_000;
  }

  static TaskControl unbounded() {
    return new TaskControl(Long.MAX_VALUE / 2_000_000);
  }

  void cancel() {
    cancelled = true;
  }

  boolean cancelled() {
    return cancelled;
  }

  /** Milliseconds left before the deadline (negative once it has passed). */
  long leftMs() {
    return (deadlineNanos - System.nanoTime()) / 1_000_000;
  }
}
