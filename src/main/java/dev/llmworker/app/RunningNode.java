package dev.llmworker.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Keeps a started node alive until SIGTERM / Ctrl-C, then stops it gracefully, closes Vert.x and exits 0. */
final class RunningNode {
  private RunningNode() {}

  static int runUntilTerminated(Vertx vertx, Supplier<Future<Void>> stop, long graceSeconds, PrintStream out) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("llm-worker: stopping (finishing in-flight tasks, up to " + graceSeconds + " s)...");
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
      out.flush();
      stopped.countDown();
      // a JVM ended by SIGTERM reports 143 once its hooks are done; a completed graceful stop is a success
      Runtime.getRuntime().halt(Main.EXIT_OK);
    }, "llmw-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Main.EXIT_OK;
  }
}
