package dev.llmworker.sqs;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Looks into the dead-letter queue and moves tasks back to the tasks queue, with plain receive / send / delete so
 * it works on every SQS-compatible server. A message is deleted from the DLQ only after the tasks queue has taken
 * it; messages looked at but not moved are made visible again at once, so nothing is consumed by a peek.
 */
public final class DeadLetterQueue {
  /** How long a message being looked at stays hidden from others (it is released sooner, when done). */
  private static final int HOLD_SECONDS = 60;
  /** The most messages one redrive by id looks through. */
  public static final int SCAN_LIMIT = 10_000;

  private final SqsAsyncClient sqs;
  private final QueueUrls queues;
  private final Context context;

  public DeadLetterQueue(SqsAsyncClient sqs, QueueUrls queues, Context context) {
    this.sqs = sqs;
    this.queues = queues;
    this.context = context;
  }

  /** Up to {@code max} messages, without consuming any of them. */
  public Future<List<DeadLetter>> peek(int max) {
    Map<String, Message> held = new LinkedHashMap<>();
    return hold(max, held)
        .eventually(() -> release(held.values()))
        .map(v -> held.values().stream().limit(max).map(DeadLetter::new).toList());
  }

  /** What a redrive did: how many moved, and which of the wanted ids were not found in the DLQ. */
  public record Redriven(int moved, Set<String> notFound) {}

  /**
   * Moves every message back to the tasks queue, batch by batch, until the DLQ shows no more: a snapshot, each
   * message at most once. A task that fails again comes back to the DLQ under the message id this redrive gave it
   * (SQS's redrive policy keeps it) or carrying it as {@code llmw-source-message-id} (llm-worker's own dead letter):
   * such a message is left where it is, so a redrive ends, and pays no task twice, however fast tasks fail again.
   */
  public Future<Redriven> redriveAll() {
    return redriveAll(moved -> { });
  }

  /** {@link #redriveAll()}, telling {@code onMoved} how many messages each batch moved as it goes. */
  public Future<Redriven> redriveAll(IntConsumer onMoved) {
    Set<String> sent = new HashSet<>();
    Map<String, Message> held = new LinkedHashMap<>();
    return redriveBatches(sent, held, 0, onMoved).eventually(() -> release(held.values()));
  }

  /**
   * Moves the messages whose message id or custom_id is one of {@code ids}, looking at no more than
   * {@link #SCAN_LIMIT} messages; those looked at and not wanted are made visible again.
   */
  public Future<Redriven> redrive(Set<String> ids) {
    return redrive(ids, moved -> { });
  }

  /** {@link #redrive(Set)}, telling {@code onMoved} how many messages each batch moved as it goes. */
  public Future<Redriven> redrive(Set<String> ids, IntConsumer onMoved) {
    Map<String, Message> held = new LinkedHashMap<>();
    Set<String> missing = new HashSet<>(ids);
    return scan(missing, held, 0, onMoved)
        .eventually(() -> release(held.values()))
        .map(moved -> new Redriven(moved, missing));
  }

  private Future<Integer> scan(Set<String> missing, Map<String, Message> held, int movedSoFar,
      IntConsumer onMoved) {
    if (missing.isEmpty() || held.size() >= SCAN_LIMIT) {
      return Future.succeededFuture(movedSoFar);
    }
    return receive().compose(batch -> {
      List<Message> fresh = batch.stream().filter(m -> !held.containsKey(m.messageId())).toList();
      if (fresh.isEmpty()) {
        return Future.succeededFuture(movedSoFar);
      }
      List<Message> wanted = new ArrayList<>();
      for (Message m : fresh) {
        String customId = new DeadLetter(m).customId();
        if (missing.remove(m.messageId()) | (customId != null && missing.remove(customId))) {
          wanted.add(m);
        } else {
          held.put(m.messageId(), m);
        }
      }
      return move(wanted, new HashSet<>()).onSuccess(onMoved::accept)
          .compose(moved -> scan(missing, held, movedSoFar + moved, onMoved));
    });
  }

  private Future<Redriven> redriveBatches(Set<String> sent, Map<String, Message> held, int movedSoFar,
      IntConsumer onMoved) {
    return receive().compose(batch -> {
      List<Message> fresh = batch.stream().filter(m -> !held.containsKey(m.messageId())).toList();
      if (fresh.isEmpty()) {
        return Future.succeededFuture(new Redriven(movedSoFar, Set.of()));
      }
      List<Message> snapshot = new ArrayList<>();
      for (Message m : fresh) {
        if (sent.contains(m.messageId()) || sent.contains(new DeadLetter(m).sourceMessageId())) {
          held.put(m.messageId(), m); // moved by this redrive and failed again: it stays, visible again at the end
        } else {
          snapshot.add(m);
        }
      }
      return move(snapshot, sent).onSuccess(onMoved::accept)
          .compose(moved -> redriveBatches(sent, held, movedSoFar + moved, onMoved));
    });
  }

  /** Receives until {@code max} distinct messages are held or the queue shows no more. */
  private Future<Void> hold(int max, Map<String, Message> held) {
    if (held.size() >= max) {
      return Future.succeededFuture();
    }
    return receive().compose(batch -> {
      int before = held.size();
      batch.forEach(m -> held.putIfAbsent(m.messageId(), m));
      return held.size() == before ? Future.succeededFuture() : hold(max, held);
    });
  }

  private Future<List<Message>> receive() {
    return Future.fromCompletionStage(sqs.receiveMessage(b -> b.queueUrl(queues.dlq()).maxNumberOfMessages(10)
            .visibilityTimeout(HOLD_SECONDS).waitTimeSeconds(1).messageAttributeNames("All")
            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                MessageSystemAttributeName.MESSAGE_GROUP_ID)), context)
        .map(r -> r.messages());
  }

  /**
   * Sends to the tasks queue, then deletes from the DLQ what the tasks queue accepted; returns how many moved and
   * adds the message ids the tasks queue gave them to {@code sent}.
   */
  private Future<Integer> move(List<Message> messages, Set<String> sent) {
    List<Future<Integer>> batches = new ArrayList<>();
    for (int from = 0; from < messages.size(); from += 10) {
      batches.add(moveBatch(messages.subList(from, Math.min(messages.size(), from + 10)), sent));
    }
    return Future.all(batches).map(all -> IntStream.range(0, all.size()).map(i -> all.<Integer>resultAt(i)).sum());
  }

  private Future<Integer> moveBatch(List<Message> batch, Set<String> sent) {
    boolean fifo = FifoIds.isFifo(queues.tasks());
    List<SendMessageBatchRequestEntry> entries = IntStream.range(0, batch.size()).mapToObj(i -> {
      Message m = batch.get(i);
      SendMessageBatchRequestEntry.Builder e = SendMessageBatchRequestEntry.builder().id("m" + i)
          .messageBody(m.body()).messageAttributes(new DeadLetter(m).taskAttributes());
      if (fifo) {
        e.messageGroupId(m.attributes().getOrDefault(MessageSystemAttributeName.MESSAGE_GROUP_ID, "llmw-redrive"))
            .messageDeduplicationId(FifoIds.deduplicationId("redrive:" + m.messageId()));
      }
      return e.build();
    }).toList();
    return Future.fromCompletionStage(sqs.sendMessageBatch(b -> b.queueUrl(queues.tasks()).entries(entries)), context)
        .compose(answer -> {
          answer.successful().forEach(s -> sent.add(s.messageId()));
          List<Message> accepted = answer.successful().stream()
              .map(s -> batch.get(Integer.parseInt(s.id().substring(1)))).toList();
          return delete(accepted).map(v -> accepted.size());
        });
  }

  private Future<Void> delete(List<Message> messages) {
    if (messages.isEmpty()) {
      return Future.succeededFuture();
    }
    List<DeleteMessageBatchRequestEntry> entries = IntStream.range(0, messages.size())
        .mapToObj(i -> DeleteMessageBatchRequestEntry.builder().id("d" + i)
            .receiptHandle(messages.get(i).receiptHandle()).build()).toList();
    return Future.fromCompletionStage(sqs.deleteMessageBatch(b -> b.queueUrl(queues.dlq()).entries(entries)),
        context).mapEmpty();
  }

  /** Makes held messages visible again at once. */
  private Future<Void> release(Collection<Message> held) {
    List<Message> list = List.copyOf(held);
    List<Future<?>> calls = new ArrayList<>();
    for (int from = 0; from < list.size(); from += 10) {
      List<Message> chunk = list.subList(from, Math.min(list.size(), from + 10));
      List<ChangeMessageVisibilityBatchRequestEntry> entries = IntStream.range(0, chunk.size())
          .mapToObj(i -> ChangeMessageVisibilityBatchRequestEntry.builder().id("v" + i)
              .receiptHandle(chunk.get(i).receiptHandle()).visibilityTimeout(0).build()).toList();
      calls.add(Future.fromCompletionStage(sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queues.dlq())
          .entries(entries)), context));
    }
    return Future.join(calls).mapEmpty();
  }
}
