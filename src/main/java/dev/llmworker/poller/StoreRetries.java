package dev.llmworker.poller;

import dev.llmworker.retry.Backoff;
import dev.llmworker.sqs.SqsBatcher;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores (a result line, a dead letter) that failed after the batcher's own retries are tried again, with backoff,
 * while the poller holds the message: {@link #ATTEMPTS} in all. An entry SQS refused as such (too large, invalid,
 * a queue that does not exist) is not tried again. A stop cuts the waits short.
 */
final class StoreRetries {
  private static final Logger LOG = LoggerFactory.getLogger(StoreRetries.class);
  static final int ATTEMPTS = 3;

  private final Vertx vertx;
  private final Backoff backoff;
  private final Set<Promise<Void>> waiting = new HashSet<>();
  private boolean hurry;

  StoreRetries(Vertx vertx, Backoff backoff) {
    this.vertx = vertx;
    this.backoff = backoff;
  }

  Future<Void> store(Supplier<Future<Void>> attempt, String what) {
    return store(attempt, what, 1);
  }

  private Future<Void> store(Supplier<Future<Void>> attempt, String what, int number) {
    return attempt.get().recover(error -> {
      boolean rejected = error instanceof SqsBatcher.EntryFailed f && f.rejected();
      if (rejected || number >= ATTEMPTS || hurry) {
        return Future.failedFuture(error);
      }
      long delay = backoff.delayMs(number);
      LOG.warn("{} not stored ({}); attempt {} of {} in {} ms", what, error.getMessage(), number + 1, ATTEMPTS, delay);
      return pause(delay).compose(v -> store(attempt, what, number + 1));
    });
  }

  private Future<Void> pause(long delayMs) {
    Promise<Void> done = Promise.promise();
    waiting.add(done);
    long timer = vertx.setTimer(delayMs, id -> done.tryComplete());
    return done.future().onComplete(ar -> {
      waiting.remove(done);
      vertx.cancelTimer(timer);
    });
  }

  /** A stop: waiting stores are tried once more now, and a failure is final. */
  void hurry() {
    hurry = true;
    new HashSet<>(waiting).forEach(Promise::tryComplete);
  }
}
