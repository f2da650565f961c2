package dev.llmworker.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Deletes messages whose lines are on disk, ten per DeleteMessageBatch, a bounded number of calls in flight;
 * entries that fail for a passing reason are retried. A delete that still fails costs only a redelivery, which
 * the next run skips as a duplicate.
 */
final class ResultDeleter {
  private static final int IN_FLIGHT_CALLS = 16;
  private static final int MAX_ATTEMPTS = 4;
  private static final long BASE_DELAY_MS = 200;

  private final SqsAsyncClient sqs;
  private final String queueUrl;
  private final Semaphore slots = new Semaphore(IN_FLIGHT_CALLS);
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong undeleted = new AtomicLong();
  private volatile String lastFailure = "";

  ResultDeleter(SqsAsyncClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  /** Starts deleting; blocks only while {@value #IN_FLIGHT_CALLS} calls are already in flight. */
  void delete(List<Message> messages) {
    for (int start = 0; start < messages.size(); start += 10) {
      List<Message> ten = messages.subList(start, Math.min(start + 10, messages.size()));
      slots.acquireUninterruptibly();
      deleteBatch(List.copyOf(ten), 1).whenComplete((r, e) -> slots.release());
    }
  }

  /** Waits for every delete started so far (retries included): each holds a slot until it is done. */
  void awaitAll() {
    slots.acquireUninterruptibly(IN_FLIGHT_CALLS);
    slots.release(IN_FLIGHT_CALLS);
  }

  long deleted() {
    return deleted.get();
  }

  /** Messages left on the queue after all attempts; they come again. */
  long undeleted() {
    return undeleted.get();
  }

  String lastFailure() {
    return lastFailure;
  }

  private CompletableFuture<Void> deleteBatch(List<Message> messages, int attempt) {
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
          .receiptHandle(messages.get(i).receiptHandle()).build());
    }
    return sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries))
        .handle((response, error) -> error == null
            ? retryFailed(messages, response, attempt)
            : retry(messages, attempt, error.getMessage()))
        .thenCompose(next -> next);
  }

  private CompletableFuture<Void> retryFailed(List<Message> messages, DeleteMessageBatchResponse response,
      int attempt) {
    deleted.addAndGet(response.successful().size());
    List<Message> again = new ArrayList<>();
    for (var failure : response.failed()) {
      Message message = messages.get(Integer.parseInt(failure.id()));
      if (failure.senderFault()) {
        // e.g. an expired receipt handle: retrying cannot help, the message comes again
        gaveUp(1, failure.code() + ": " + failure.message());
      } else {
        again.add(message);
      }
    }
    return again.isEmpty() ? CompletableFuture.completedFuture(null)
        : retry(again, attempt, response.failed().get(0).message());
  }

  private CompletableFuture<Void> retry(List<Message> messages, int attempt, String why) {
    if (attempt >= MAX_ATTEMPTS) {
      gaveUp(messages.size(), why);
      return CompletableFuture.completedFuture(null);
    }
    long delay = BASE_DELAY_MS << (attempt - 1);
    return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
        .thenCompose(ignored -> deleteBatch(messages, attempt + 1));
  }

  private void gaveUp(int count, String why) {
    undeleted.addAndGet(count);
    lastFailure = why == null ? "unknown" : why;
  }
}
