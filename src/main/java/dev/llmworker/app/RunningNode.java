package dev.llmworker.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import sun.misc.Signal;

/**
 * Keeps a started node alive until SIGTERM / Ctrl-C, then stops it gracefully and exits 0. A second signal
 * hurries the stop (running tasks go back to SQS at once); a third exits immediately.
 */
final class RunningNode {
  private RunningNode() {}

  static int runUntilTerminated(Vertx vertx, Supplier<Future<Void>> stop, Runnable hurry, long graceSeconds,
      PrintStream out) {
    CountDownLatch signalled = new CountDownLatch(1);
    AtomicInteger signals = new AtomicInteger();
    // our own handlers, not a shutdown hook: the JVM ignores further signals once its hooks run
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> {
        int n = signals.incrementAndGet();
        if (n == 1) {
          out.println("llm-worker: stopping: finishing in-flight tasks (up to " + graceSeconds
              + " s), unstarted ones go back to SQS now. Signal again to stop waiting.");
          signalled.countDown();
        } else if (n == 2) {
          out.println("llm-worker: stopping now: giving running tasks back to SQS");
          hurry.run();
        } else {
          out.println("llm-worker: exiting at once");
          Runtime.getRuntime().halt(Main.EXIT_FAILURE);
        }
      });
    }
    awaitUninterruptibly(signalled);
    try {
      stop.get().toCompletionStage().toCompletableFuture().get(graceSeconds + 15, TimeUnit.SECONDS);
    } catch (Exception e) {
      out.println("llm-worker: stop did not complete cleanly: " + e);
    }
    try {
      // waited on separately: a callback chained after close() may never run once the contexts are gone
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      out.println("llm-worker: Vert.x did not close cleanly: " + e);
    }
    out.println("llm-worker: stopped");
    return Main.EXIT_OK;
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    while (true) {
      try {
        latch.await();
        return;
      } catch (InterruptedException e) {
        // keep waiting for the signal
      }
    }
  }
}
