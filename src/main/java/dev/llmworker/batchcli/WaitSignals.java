package dev.llmworker.batchcli;

import dev.llmworker.client.StopSignals;
import java.util.concurrent.CountDownLatch;

/**
 * Ctrl-C / SIGTERM while a command waits on a batch: the first signal stops the waiting (the batch goes on at the
 * node) by releasing {@link #stopped()} and interrupting the waiting thread out of a call in progress; a second
 * exits at once. The previous handlers come back on {@link #close()}.
 */
final class WaitSignals implements AutoCloseable {
  /** The exit code of a command whose waiting was cut short by a signal (128 + SIGINT, as shells report it). */
  static final int EXIT_STOPPED = 130;

  private final CountDownLatch stopped = new CountDownLatch(1);
  private StopSignals handlers;

  private WaitSignals() {}

  static WaitSignals install() {
    WaitSignals signals = new WaitSignals();
    Thread waiting = Thread.currentThread();
    signals.handlers = StopSignals.install(() -> {
      signals.stopped.countDown();
      waiting.interrupt();
    }, () -> Runtime.getRuntime().halt(EXIT_STOPPED));
    return signals;
  }

  /** Released on the first signal. */
  CountDownLatch stopped() {
    return stopped;
  }

  boolean wasStopped() {
    return stopped.getCount() == 0;
  }

  @Override
  public void close() {
    handlers.close();
    if (wasStopped()) {
      Thread.interrupted(); // the interrupt was ours, for the wait; the thread goes on with other work
    }
  }
}
