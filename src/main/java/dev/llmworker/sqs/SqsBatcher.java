package dev.llmworker.sqs;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import dev.llmworker.retry.Backoff;

/**
 * Collects single SQS operations into batch calls of up to 10 entries: a batch goes out when it is full
 * or {@code flushMs} after its first entry. Entries that fail for a transient reason (or whose whole call
 * failed) are retried with capped exponential backoff; each caller's future completes when its own entry
 * is done. Confined to the context that created it.
 */
public final class SqsBatcher<E> {
  private static final Logger LOG = LoggerFactory.getLogger(SqsBatcher.class);
  private static final int MAX_ENTRIES = 10;
  private static final int MAX_BYTES = 200 * 1024;
  private static final int DEFAULT_ATTEMPTS = 10;

  /** Sends one batch; the map holds the failed entries by their index in the list. */
  public interface BatchCall<E> extends Function<List<E>, Future<Map<Integer, BatchFailure>>> {}

  /** Why one entry of a batch failed; sender faults are not retried. */
  public record BatchFailure(boolean senderFault, String code, String message) {}

  /**
   * Why an entry was not done: {@code rejected} when SQS refused it as the caller's fault (too large, invalid text, a
   * queue that does not exist, no permission), where sending the same entry again cannot help; otherwise SQS or the
   * network kept failing through every attempt.
   */
  public static final class EntryFailed extends RuntimeException {
    private final boolean rejected;

    EntryFailed(String message, boolean rejected) {
      super(message, null, false, false);
      this.rejected = rejected;
    }

    public boolean rejected() {
      return rejected;
    }
  }

  private record Pending<E>(E entry, Promise<Void> promise) {}

  private final Vertx vertx;
  private final Context context;
  private final String name;
  private final BatchCall<E> call;
  private final ToIntFunction<E> size;
  private final long flushMs;
  private final int maxAttempts;
  private final List<Pending<E>> buffer = new ArrayList<>();
  private int bufferedBytes;
  private long timer = -1;

  public SqsBatcher(Vertx vertx, String name, long flushMs, ToIntFunction<E> size, BatchCall<E> call) {
    this(vertx, name, flushMs, DEFAULT_ATTEMPTS, size, call);
  }

  /** @param maxAttempts calls per entry before its future fails (1: no retry here, the caller retries) */
  public SqsBatcher(Vertx vertx, String name, long flushMs, int maxAttempts, ToIntFunction<E> size,
      BatchCall<E> call) {
    this.maxAttempts = maxAttempts;
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.name = name;
    this.flushMs = flushMs;
    this.size = size;
    this.call = call;
  }

  public Context context() {
    return context;
  }

  public Future<Void> add(E entry) {
    Promise<Void> promise = Promise.promise();
    int bytes = size.applyAsInt(entry);
    if (!buffer.isEmpty() && bufferedBytes + bytes > MAX_BYTES) {
      flush();
    }
    buffer.add(new Pending<>(entry, promise));
    bufferedBytes += bytes;
    if (buffer.size() >= MAX_ENTRIES) {
      flush();
    } else if (timer < 0) {
      timer = vertx.setTimer(flushMs, id -> {
        timer = -1;
        flush();
      });
    }
    return promise.future();
  }

  /** Sends everything buffered now; completes when all of it has settled. */
  public Future<Void> flushAll() {
    List<Future<Void>> all = new ArrayList<>();
    buffer.forEach(p -> all.add(p.promise().future()));
    while (!buffer.isEmpty()) {
      flush();
    }
    return Future.join(all).mapEmpty();
  }

  public int buffered() {
    return buffer.size();
  }

  private void flush() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    int n = Math.min(MAX_ENTRIES, buffer.size());
    if (n == 0) {
      return;
    }
    List<Pending<E>> batch = new ArrayList<>(buffer.subList(0, n));
    buffer.subList(0, n).clear();
    bufferedBytes = buffer.stream().mapToInt(p -> size.applyAsInt(p.entry())).sum();
    send(batch, 1);
    if (!buffer.isEmpty() && timer < 0) {
      timer = vertx.setTimer(flushMs, id -> {
        timer = -1;
        flush();
      });
    }
  }

  private void send(List<Pending<E>> batch, int attempt) {
    call.apply(batch.stream().map(Pending::entry).toList())
        .onSuccess(failures -> settle(batch, failures, attempt))
        .onFailure(error -> failedCall(batch, attempt, error));
  }

  private void settle(List<Pending<E>> batch, Map<Integer, BatchFailure> failures, int attempt) {
    List<Pending<E>> retry = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      BatchFailure failure = failures.get(i);
      if (failure == null) {
        batch.get(i).promise().tryComplete();
      } else if (failure.senderFault()) {
        batch.get(i).promise().tryFail(new EntryFailed(name + " rejected: " + failure.code() + " " + failure.message(),
            true));
      } else {
        retry.add(batch.get(i));
      }
    }
    if (!retry.isEmpty()) {
      retryOrFail(retry, attempt, "partial batch failure");
    }
  }

  /**
   * The whole call failed. A client error other than throttling (a queue that does not exist, no permission, a
   * request SQS cannot parse) fails every entry at once: repeating it would fail the same way.
   */
  private void failedCall(List<Pending<E>> batch, int attempt, Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (cause instanceof AwsServiceException aws && aws.statusCode() >= 400 && aws.statusCode() < 500
        && !aws.isThrottlingException()) {
      String why = name + " rejected: " + aws.statusCode() + " " + firstLine(aws.getMessage());
      LOG.error("{} ({} entries)", why, batch.size());
      batch.forEach(p -> p.promise().tryFail(new EntryFailed(why, true)));
      return;
    }
    retryOrFail(batch, attempt, firstLine(cause.toString()));
  }

  private static String firstLine(String s) {
    String text = String.valueOf(s);
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  private void retryOrFail(List<Pending<E>> batch, int attempt, String why) {
    if (attempt >= maxAttempts) {
      if (maxAttempts > 1) {
        LOG.error("{}: giving up on {} entries after {} attempts: {}", name, batch.size(), attempt, why);
      } else {
        LOG.debug("{}: {} entries not done, left to the caller: {}", name, batch.size(), why);
      }
      batch.forEach(p -> p.promise().tryFail(new EntryFailed(name + " failed after " + attempt + " attempts: " + why,
          false)));
      return;
    }
    long delay = Backoff.SQS_BATCH.delayMs(attempt);
    LOG.warn("{}: {} entries not done ({}); retry {} in {} ms", name, batch.size(), why, attempt, delay);
    vertx.setTimer(delay, id -> send(batch, attempt + 1));
  }
}
