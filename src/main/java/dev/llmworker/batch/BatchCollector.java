package dev.llmworker.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmworker.client.ResultLineReader;
import dev.llmworker.sqs.OutgoingMessage;
import dev.llmworker.sqs.SqsBatcher;
import dev.llmworker.sqs.SqsBatches;
import dev.llmworker.store.TimeIds;
import dev.llmworker.task.BatchTag;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Drains the batch results queue into the store: the lines of each batch, gathered for up to a second, become one
 * part object ({@link BatchRecords#putPart}), and only once the store has it are their messages deleted. A node
 * that dies between the two loses nothing: the messages come again and a later part repeats the lines, which the
 * batch's finalization writes once. A line without a batch tag (a task redriven by hand) goes on to the results queue.
 */
final class BatchCollector {
  private static final Logger LOG = LoggerFactory.getLogger(BatchCollector.class);
  private static final int POLLS = 2;
  private static final int FLUSH_LINES = 500;
  private static final long FLUSH_MS = 1_000;
  /** Lines held at most before receiving pauses: memory stays bounded when the store is slow. */
  private static final int MAX_HELD = 5_000;
  private static final int VISIBILITY_SECONDS = 30;

  private final Vertx vertx;
  private final Context context;
  private final SqsAsyncClient sqs;
  private final String queue;
  private final BatchRecords records;
  private final Consumer<String> collected;
  private final Predicate<String> completed;
  private final SqsBatcher<String> deletes;
  private final SqsBatcher<OutgoingMessage> plainResults;
  private final Map<String, Held> held = new HashMap<>();
  private int heldLines;
  private int polling;
  private boolean stopping;
  private long timer = -1;

  /** Messages of one batch waiting to be stored. */
  private static final class Held {
    final List<Message> messages = new ArrayList<>();
    final long sinceMs = System.currentTimeMillis();
  }

  /**
   * @param collected told the id of a batch when a part of it was stored
   * @param completed whether a batch ended completed: its late lines are redeliveries of lines in its files
   */
  BatchCollector(Vertx vertx, SqsAsyncClient sqs, String queue, String resultsQueue, BatchRecords records,
      Consumer<String> collected, Predicate<String> completed) {
    this.completed = completed;
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.sqs = sqs;
    this.queue = queue;
    this.records = records;
    this.collected = collected;
    this.deletes = SqsBatches.deletes(vertx, sqs, queue, 20);
    this.plainResults = SqsBatches.sends(vertx, sqs, resultsQueue, 20);
  }

  void start() {
    timer = vertx.setPeriodic(FLUSH_MS / 4, id -> flushDue());
    for (int i = 0; i < POLLS; i++) {
      poll();
    }
  }

  /** Stops receiving and stores what is held. */
  Future<Void> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    return Future.join(new ArrayList<>(held.keySet()).stream().map(this::flush).toList())
        .compose(v -> Future.join(deletes.flushAll(), plainResults.flushAll())).mapEmpty();
  }

  private void poll() {
    if (stopping || heldLines >= MAX_HELD) {
      return;
    }
    polling++;
    Future.fromCompletionStage(sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(10)
            .visibilityTimeout(VISIBILITY_SECONDS).messageAttributeNames("All")), context)
        .onComplete(ar -> polling--)
        .onSuccess(r -> {
          r.messages().forEach(this::accept);
          poll();
        })
        .onFailure(e -> {
          if (!stopping) {
            LOG.warn("receiving from the batch results queue {} failed: {}; again in 2 s", queue, e.getMessage());
            vertx.setTimer(2_000, id -> poll());
          }
        });
  }

  private void accept(Message message) {
    String batch = BatchTag.batchOf(message.messageAttributes());
    if (batch == null) {
      plainResults.add(OutgoingMessage.of(message.body())).compose(v -> deletes.add(message.receiptHandle()))
          .onFailure(e -> LOG.warn("a result without a batch tag could not be moved to the results queue: {}",
              e.getMessage()));
      return;
    }
    if (completed.test(batch)) {
      // every custom_id of the batch is in its files already: this is a redelivery (a task run twice after a crash)
      LOG.debug("batch {} has completed: a repeated result line is dropped", batch);
      deletes.add(message.receiptHandle());
      return;
    }
    Held h = held.computeIfAbsent(batch, id -> new Held());
    h.messages.add(message);
    heldLines++;
    if (h.messages.size() >= FLUSH_LINES) {
      flush(batch);
    }
  }

  private void flushDue() {
    long now = System.currentTimeMillis();
    new ArrayList<>(held.entrySet()).stream().filter(e -> now - e.getValue().sinceMs >= FLUSH_MS)
        .forEach(e -> flush(e.getKey()));
  }

  private Future<Void> flush(String batch) {
    Held h = held.remove(batch);
    if (h == null) {
      return Future.succeededFuture();
    }
    Future<Void> stored;
    if (completed.test(batch)) {
      // the batch completed while these waited: they are redeliveries of lines in its files
      stored = Future.succeededFuture();
    } else {
      Part part = Part.of(h.messages);
      stored = records.putPart(batch, TimeIds.next("p"), part.lines(), part.totals())
          .onSuccess(v -> collected.accept(batch));
    }
    return stored
        .compose(v -> Future.join(h.messages.stream().map(m -> deletes.add(m.receiptHandle())).toList()))
        .onFailure(e -> LOG.warn("{} result lines of batch {} not stored yet ({}); they come again in {} s",
            h.messages.size(), batch, e.getMessage(), VISIBILITY_SECONDS))
        .eventually(() -> {
          heldLines -= h.messages.size();
          resumePolling();
          return Future.succeededFuture();
        })
        .mapEmpty();
  }

  /** Receiving paused while {@link #MAX_HELD} lines waited for the store: it goes on. */
  private void resumePolling() {
    for (int i = polling; i < POLLS; i++) {
      poll();
    }
  }

  /** The lines of one part, one per message, and what they add up to. */
  record Part(Buffer lines, PartTotals totals) {
    static Part of(List<Message> messages) {
      Buffer lines = Buffer.buffer();
      PartTotals totals = PartTotals.ZERO;
      for (Message m : messages) {
        ResultLineReader.Read read = ResultLineReader.read(m.messageId(), m.body());
        lines.appendString(read.line()).appendByte((byte) '\n');
        totals = totals.plus(totalsOf(read));
      }
      return new Part(lines, totals);
    }

    private static PartTotals totalsOf(ResultLineReader.Read read) {
      JsonNode usage = read.llmw().path("usage");
      return new PartTotals(read.failure() ? 0 : 1, read.failure() ? 1 : 0, usage.path("prompt_tokens").asLong(0),
          usage.path("completion_tokens").asLong(0), Math.round(read.llmw().path("cost_usd").asDouble(0) * 1_000_000));
    }
  }
}
