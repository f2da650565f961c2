package dev.llmworker.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends checked tasks with SendMessageBatch: up to 10 entries and {@code maxBatchBytes} of bodies per batch, at
 * most {@code inFlight} batches at once. {@link #add} blocks while that many are out, so a reader of a huge file
 * holds only those batches in memory. Entries SQS failed on its side, and whole batches that failed on the way
 * (throttling, 5xx, connection), are retried with backoff; what SQS refuses for good is reported by line. A
 * batch that still fails as a whole after the retries stops the sending: the queue cannot be used.
 */
public final class TaskBatchSender {
  static final int MAX_ENTRIES = 10;
  static final int MAX_ATTEMPTS = 5;
  private static final long BASE_DELAY_MS = 200;
  private static final long MAX_DELAY_MS = 5_000;
  private static final String NOT_SENT = "not sent: sending stopped after a batch failed for good";

  /** What happens to the lines: called from SDK threads, so implementations must be thread-safe. */
  public interface Outcomes {
    void sent(int count);

    void refused(long line, String code, String reason);
  }

  private final SqsAsyncClient sqs;
  private final String queueUrl;
  private final int maxBatchBytes;
  private final int inFlight;
  private final Semaphore slots;
  private final Outcomes outcomes;
  private final Map<String, MessageAttributeValue> attributes;
  private final AtomicReference<Throwable> stopped = new AtomicReference<>();
  private List<CheckedTask> batch = new ArrayList<>(MAX_ENTRIES);
  private int batchBytes;

  TaskBatchSender(SqsAsyncClient sqs, String queueUrl, int maxBatchBytes, int inFlight, Outcomes outcomes) {
    this(sqs, queueUrl, maxBatchBytes, inFlight, outcomes, Map.of());
  }

  /** @param attributes message attributes every message gets (a Batch API batch's tag) */
  public TaskBatchSender(SqsAsyncClient sqs, String queueUrl, int maxBatchBytes, int inFlight, Outcomes outcomes,
      Map<String, MessageAttributeValue> attributes) {
    this.attributes = attributes;
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.maxBatchBytes = maxBatchBytes;
    this.inFlight = inFlight;
    this.slots = new Semaphore(inFlight);
    this.outcomes = outcomes;
  }

  /** Queues a task for sending; false, and the task reported not sent, once sending has stopped. */
  public boolean add(CheckedTask task) throws InterruptedException {
    if (stopped.get() != null) {
      outcomes.refused(task.line(), "not_sent", NOT_SENT);
      return false;
    }
    if (batch.size() == MAX_ENTRIES || batchBytes + task.bytes() > maxBatchBytes) {
      dispatch();
    }
    batch.add(task);
    batchBytes += task.bytes();
    return true;
  }

  /** Sends what is left and waits until every batch is settled (sent, refused, or given up). */
  public void finish() throws InterruptedException {
    if (stopped.get() == null && !batch.isEmpty()) {
      dispatch();
    }
    for (CheckedTask task : batch) {
      outcomes.refused(task.line(), "not_sent", NOT_SENT);
    }
    batch.clear();
    slots.acquire(inFlight);
    slots.release(inFlight);
  }

  /** Why sending stopped, or null while it goes on. */
  public Throwable stopReason() {
    return stopped.get();
  }

  private void dispatch() throws InterruptedException {
    List<CheckedTask> full = batch;
    batch = new ArrayList<>(MAX_ENTRIES);
    batchBytes = 0;
    slots.acquire();
    if (stopped.get() != null) {
      slots.release();
      full.forEach(task -> outcomes.refused(task.line(), "not_sent", NOT_SENT));
      return;
    }
    send(full, 1).whenComplete((ok, e) -> slots.release());
  }

  private CompletableFuture<Void> send(List<CheckedTask> tasks, int attempt) {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      CheckedTask t = tasks.get(i);
      entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(t.body())
          .messageGroupId(t.groupId()).messageDeduplicationId(t.deduplicationId()).messageAttributes(attributes)
          .build());
    }
    CompletableFuture<SendMessageBatchResponse> call;
    try {
      call = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    return call.handle((response, error) -> error == null
            ? settle(tasks, response, attempt)
            : batchFailed(tasks, unwrap(error), attempt))
        .thenCompose(next -> next);
  }

  private CompletableFuture<Void> settle(List<CheckedTask> tasks, SendMessageBatchResponse response, int attempt) {
    outcomes.sent(response.successful().size());
    List<CheckedTask> again = new ArrayList<>();
    for (BatchResultErrorEntry failure : response.failed()) {
      CheckedTask task = tasks.get(Integer.parseInt(failure.id()));
      if (!failure.senderFault() && attempt < MAX_ATTEMPTS) {
        again.add(task);
      } else {
        outcomes.refused(task.line(), failure.code(), failure.senderFault() ? failure.message()
            : failure.message() + " (still failing after " + attempt + " attempts)");
      }
    }
    return again.isEmpty() ? CompletableFuture.completedFuture(null) : later(again, attempt + 1);
  }

  private CompletableFuture<Void> batchFailed(List<CheckedTask> tasks, Throwable error, int attempt) {
    if (worthRetrying(error) && attempt < MAX_ATTEMPTS && stopped.get() == null) {
      return later(tasks, attempt + 1);
    }
    stopped.compareAndSet(null, error);
    String code = error instanceof AwsServiceException aws && aws.awsErrorDetails() != null
        ? aws.awsErrorDetails().errorCode() : error.getClass().getSimpleName();
    for (CheckedTask task : tasks) {
      outcomes.refused(task.line(), code, "the whole batch failed: " + error.getMessage());
    }
    return CompletableFuture.completedFuture(null);
  }

  private CompletableFuture<Void> later(List<CheckedTask> tasks, int attempt) {
    long ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS << (attempt - 2));
    long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    Executor after = CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS);
    return CompletableFuture.supplyAsync(() -> send(tasks, attempt), after).thenCompose(next -> next);
  }

  /** Worth another try: throttling, SQS-side errors and failures to get the request there at all. */
  private static boolean worthRetrying(Throwable e) {
    if (e instanceof AwsServiceException aws) {
      return aws.isThrottlingException() || aws.statusCode() >= 500;
    }
    return e instanceof SdkClientException;
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }
}
