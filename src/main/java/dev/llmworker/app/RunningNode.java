package dev.llmworker.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import sun.misc.Signal;

/**
 * Keeps a started node alive until SIGTERM / Ctrl-C, then stops it gracefully and exits 0. A second signal
 * hurries the stop (running tasks go back to SQS at once); a third exits immediately.
 */
final class RunningNode {
  /** Time left for housekeeping once every task is settled: unregistering, leaving the cluster, closing. */
  static final long HOUSEKEEPING_MS = 2000;

  private RunningNode() {}

  /**
   * @param stop    the graceful stop (called once, on the first signal)
   * @param settled after {@code stop} was called: completes when no task is left to finish or give back and every
   *                batch went to SQS; what the stop still does after that is housekeeping (leaving the cluster,
   *                closing clients), given {@link #HOUSEKEEPING_MS} at most
   */
  static int runUntilTerminated(Vertx vertx, Supplier<Future<Void>> stop, Supplier<Future<Void>> settled,
      Runnable hurry, long graceSeconds, PrintStream out) {
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
    Future<Void> stopping = stop.get();
    if (!await(settled.get(), (graceSeconds + 15) * 1000L)) {
      out.println("llm-worker: stop did not settle every task within the grace period; exiting (SQS redelivers "
          + "what was not settled)");
    }
    // a cluster that has not yet noticed a node that left a moment ago can hold up unregistering and leaving for
    // its heartbeat timeout: not worth a SIGKILL from the container engine, nothing is lost by cutting it short
    long deadline = System.currentTimeMillis() + HOUSEKEEPING_MS;
    boolean clean = await(stopping, HOUSEKEEPING_MS)
        // waited on separately: a callback chained after close() may never run once the contexts are gone
        && await(vertx.close(), Math.max(1, deadline - System.currentTimeMillis()));
    if (!clean) {
      out.println("llm-worker: every task settled; leaving the cluster and closing took longer than "
          + HOUSEKEEPING_MS + " ms, exiting anyway (the other nodes notice within seconds)");
    }
    out.println("llm-worker: stopped");
    return Main.EXIT_OK;
  }

  /** Whether {@code future} completed (successfully or not) within {@code millis}. */
  private static boolean await(Future<?> future, long millis) {
    try {
      future.toCompletionStage().toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
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
