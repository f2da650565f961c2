package dev.llmworker.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline (polling, not sleeping blindly); fails with a description. */
public final class Eventually {
  private Eventually() {}

  public static void await(Duration timeout, BooleanSupplier condition, Supplier<String> describe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + timeout + ": " + describe.get());
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // poll interval, not synchronisation
    }
  }
}
