package dev.llmworker.client;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM / Ctrl-C for a command that must finish the batch in hand before it exits: the first signal asks it
 * to stop, a second exits at once. The previous handlers come back on {@link #close()}.
 */
public final class StopSignals implements AutoCloseable {
  private static final String[] NAMES = {"TERM", "INT"};

  private final Map<Signal, SignalHandler> previous = new HashMap<>();

  private StopSignals() {}

  /** @param stop run on the first signal; {@code why} is printed to {@code err} */
  static StopSignals install(Runnable stop, String why, PrintWriter err) {
    return install(() -> {
      err.println("llm-worker: " + why + " Signal again to exit at once.");
      err.flush();
      stop.run();
    }, () -> {
      err.println("llm-worker: exiting at once; results not yet deleted from the queue come again");
      err.flush();
      Runtime.getRuntime().halt(1);
    });
  }

  /** @param first run on the first signal, {@code second} on any later one (it should exit) */
  public static StopSignals install(Runnable first, Runnable second) {
    StopSignals signals = new StopSignals();
    AtomicInteger count = new AtomicInteger();
    for (String name : NAMES) {
      Signal signal = new Signal(name);
      try {
        signals.previous.put(signal, Signal.handle(signal, s -> {
          if (count.incrementAndGet() == 1) {
            first.run();
          } else {
            second.run();
          }
        }));
      } catch (IllegalArgumentException e) {
        // the JVM keeps this signal (-Xrs): the default behaviour stays
      }
    }
    return signals;
  }

  @Override
  public void close() {
    previous.forEach(Signal::handle);
  }
}
