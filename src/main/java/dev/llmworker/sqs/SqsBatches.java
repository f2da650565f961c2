package dev.llmworker.sqs;

import dev.llmworker.sqs.SqsBatcher.BatchFailure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** The three batched SQS operations llm-worker uses, each as a {@link SqsBatcher}. Entry ids are list indexes. */
public final class SqsBatches {
  private SqsBatches() {}

  /** DeleteMessageBatch: acknowledges finished tasks. */
  public static SqsBatcher<String> deletes(Vertx vertx, SqsAsyncClient sqs, String queueUrl, long flushMs) {
    Context context = vertx.getOrCreateContext();
    return new SqsBatcher<>(vertx, "DeleteMessageBatch", flushMs, handle -> handle.length() + 32,
        handles -> back(context, sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries(handles,
                (id, h) -> DeleteMessageBatchRequestEntry.builder().id(id).receiptHandle(h).build())))
            .thenApply(r -> failures(r.failed()))));
  }

  /** SendMessageBatch: result lines, dead letters and requeued tasks. */
  public static SqsBatcher<OutgoingMessage> sends(Vertx vertx, SqsAsyncClient sqs, String queueUrl, long flushMs) {
    Context context = vertx.getOrCreateContext();
    return new SqsBatcher<>(vertx, "SendMessageBatch", flushMs, OutgoingMessage::bytes,
        messages -> back(context, sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries(messages,
                (id, m) -> SendMessageBatchRequestEntry.builder().id(id).messageBody(m.body())
                    .messageAttributes(m.attributes()).messageGroupId(m.groupId())
                    .messageDeduplicationId(m.deduplicationId()).delaySeconds(m.sqsDelay()).build())))
            .thenApply(r -> failures(r.failed()))));
  }

  /** ChangeMessageVisibilityBatch: delayed returns. */
  public static SqsBatcher<VisibilityChange> visibility(
      Vertx vertx, SqsAsyncClient sqs, String queueUrl, long flushMs) {
    return visibility(vertx, sqs, queueUrl, flushMs, 10);
  }

  /**
   * ChangeMessageVisibilityBatch with {@code attempts} calls per entry: heartbeats use 1, their keeper sends the next
   * one itself within a second, which after an outage is sooner than a backoff would be.
   */
  public static SqsBatcher<VisibilityChange> visibility(
      Vertx vertx, SqsAsyncClient sqs, String queueUrl, long flushMs, int attempts) {
    Context context = vertx.getOrCreateContext();
    return new SqsBatcher<>(vertx, "ChangeMessageVisibilityBatch", flushMs, attempts,
        c -> c.receiptHandle().length() + 40,
        changes -> back(context, sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries(changes,
                (id, c) -> ChangeMessageVisibilityBatchRequestEntry.builder().id(id)
                    .receiptHandle(c.receiptHandle()).visibilityTimeout(c.seconds()).build())))
            .thenApply(r -> failures(r.failed()))));
  }

  private static <E, R> List<R> entries(List<E> items, BiFunction<String, E, R> build) {
    List<R> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(build.apply(Integer.toString(i), items.get(i)));
    }
    return out;
  }

  /** SDK futures complete on SDK threads; continue on the batcher's context. */
  private static <T> Future<T> back(Context context, CompletableFuture<T> cs) {
    return Future.fromCompletionStage(cs, context);
  }

  private static Map<Integer, BatchFailure> failures(List<BatchResultErrorEntry> failed) {
    Map<Integer, BatchFailure> out = new HashMap<>();
    for (BatchResultErrorEntry e : failed) {
      out.put(Integer.parseInt(e.id()), new BatchFailure(Boolean.TRUE.equals(e.senderFault()), e.code(), e.message()));
    }
    return out;
  }
}
