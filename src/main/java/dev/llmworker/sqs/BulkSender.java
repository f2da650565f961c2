package dev.llmworker.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Enqueues many messages with SendMessageBatch, a bounded number of batches in flight, retrying entries
 * that failed. Blocking: for command-line threads and tests, never an event loop.
 */
public final class BulkSender {
  private static final int IN_FLIGHT_BATCHES = 16;
  private static final int MAX_ATTEMPTS = 5;

  private final SqsAsyncClient sqs;
  private final String queueUrl;

  public BulkSender(SqsAsyncClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  /** Sends bodies {@code body(from) .. body(from + count - 1)}. */
  public void send(int from, int count, IntFunction<String> body) throws InterruptedException {
    Semaphore slots = new Semaphore(IN_FLIGHT_BATCHES);
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (int start = from; start < from + count; start += 10) {
      List<String> bodies = new ArrayList<>();
      for (int i = start; i < Math.min(start + 10, from + count); i++) {
        bodies.add(body.apply(i));
      }
      slots.acquire();
      pending.add(sendBatch(bodies, 1).whenComplete((r, e) -> slots.release()));
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
  }

  private CompletableFuture<Void> sendBatch(List<String> bodies, int attempt) {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < bodies.size(); i++) {
      entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.get(i)).build());
    }
    return sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries))
        .thenCompose(response -> retryFailed(bodies, response, attempt));
  }

  private CompletableFuture<Void> retryFailed(List<String> bodies, SendMessageBatchResponse response, int attempt) {
    if (response.failed().isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    if (attempt >= MAX_ATTEMPTS) {
      return CompletableFuture.failedFuture(new IllegalStateException(response.failed().size()
          + " messages not accepted by SQS: " + response.failed().get(0).message()));
    }
    List<String> again = response.failed().stream().map(f -> bodies.get(Integer.parseInt(f.id()))).toList();
    return sendBatch(again, attempt + 1);
  }
}
