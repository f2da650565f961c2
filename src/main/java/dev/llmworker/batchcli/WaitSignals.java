package dev.llmworker.batchcli;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C / SIGTERM while a command waits on a batch: the first signal stops the waiting (the batch goes on at the
 * node) by releasing {@link #stopped()} and interrupting the waiting thread out of a call in progress; a second
 * exits at once. The previous handlers come back on {@link #close()}.
 */
final class WaitSignals implements AutoCloseable {
  /** The exit code of a command whose waiting was cut short by a signal (128 + SIGINT, as shells report it). */
  static final int EXIT_STOPPED = 130;
  private static final String[] NAMES = {"INT", "TERM"};

  private final Map<Signal, SignalHandler> previous = new HashMap<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private WaitSignals() {}

  static WaitSignals install() {
    WaitSignals signals = new WaitSignals();
    Thread waiting = Thread.currentThread();
    AtomicInteger count = new AtomicInteger();
    for (String name : NAMES) {
      Signal signal = new Signal(name);
      try {
        signals.previous.put(signal, Signal.handle(signal, s -> {
          if (count.incrementAndGet() == 1) {
            signals.stopped.countDown();
            waiting.interrupt();
          } else {
            Runtime.getRuntime().halt(EXIT_STOPPED);
          }
        }));
      } catch (IllegalArgumentException e) {
        // the JVM keeps this signal (-Xrs): the default behaviour stays
      }
    }
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
    previous.forEach(Signal::handle);
    if (wasStopped()) {
      Thread.interrupted(); // the interrupt was ours, for the wait; the thread goes on with other work
    }
  }
}
