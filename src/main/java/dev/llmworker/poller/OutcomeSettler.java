package dev.llmworker.poller;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.monitor.FailureLog;
import dev.llmworker.monitor.NodeStats;
import dev.llmworker.retry.Backoff;
import dev.llmworker.sqs.FifoIds;
import dev.llmworker.sqs.OutgoingMessage;
import dev.llmworker.sqs.QueueUrls;
import dev.llmworker.sqs.SqsBatcher;
import dev.llmworker.sqs.SqsText;
import dev.llmworker.sqs.VisibilityChange;
import dev.llmworker.task.BatchTag;
import dev.llmworker.task.ResultLine;
import dev.llmworker.task.TaskOutcome;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a worker's outcome to SQS. The message is deleted only after its result line (or its dead letter) is
 * stored. A store that fails is retried with backoff, holding the message and its answer (the LLM is not called
 * again); an answer SQS will not take is kept on disk and the task dead-lettered as {@code result_unstorable}; a dead
 * letter SQS will not take leaves the message in the queue with a growing delay. Nothing here returns a message at
 * once for a failure of its own, so a store failure is never a hot loop of paid calls.
 */
final class OutcomeSettler {
  private static final Logger LOG = LoggerFactory.getLogger(OutcomeSettler.class);
  /** A dead letter SQS keeps refusing: the message comes back after 1 min, 2, 4, ... up to 12 h. */
  private static final Backoff STUCK = new Backoff(60_000, Backoff.MAX_SQS_SECONDS * 1000L);

  /** The batchers a settler writes through, all on the poller's context. */
  record Batchers(
      SqsBatcher<OutgoingMessage> results,
      SqsBatcher<OutgoingMessage> deadLetters,
      SqsBatcher<String> deletes,
      SqsBatcher<VisibilityChange> visibility,
      SqsBatcher<OutgoingMessage> requeues,
      SqsBatcher<OutgoingMessage> batchResults) {}

  private final Batchers out;
  private final QueueUrls queues;
  private final int deadLetterBytes;
  private final Backoff returns;
  /** Where stores go when SQS fails: retried later, or kept on this node's disk. */
  record Stores(StoreRetries retries, OversizeResults oversize) {}

  private final StoreRetries retries;
  private final OversizeResults oversize;
  private final NodeStats stats;
  private final Requeues requeues;

  /** @param deadLetterBytes the largest message the DLQ takes */
  OutcomeSettler(Batchers out, QueueUrls queues, int deadLetterBytes, LlmwConfig.Retry retry, Stores stores,
      NodeStats stats) {
    this.out = out;
    this.queues = queues;
    this.deadLetterBytes = deadLetterBytes;
    this.returns = Backoff.ofSeconds(retry.returnBaseSeconds(),
        Math.max(retry.returnBaseSeconds(), retry.returnMaxSeconds()));
    this.retries = stores.retries();
    this.oversize = stores.oversize();
    this.stats = stats;
    this.requeues = new Requeues(out, queues, returns);
  }

  Future<Settlement> settle(InFlightMessage message, TaskOutcome outcome) {
    return switch (outcome.kind()) {
      case SUCCEEDED, SKIPPED -> storeResult(message, outcome);
      case DEAD_LETTER -> deadLetter(message, outcome.customId(), outcome.resultLine(), outcome.code(),
          outcome.reason());
      case RETRY -> retryLater(message, outcome);
      case RELEASED -> requeues.requeue(message, 0, outcome.reason());
      case ALREADY_DONE -> delete(message).map(Settlement.SUCCEEDED);
    };
  }

  /**
   * Throttling is the provider's state, not the task's: a throttled task goes back without using a receive. Any
   * other failure uses one; out of receives, it is dead-lettered here, with its reason and an error line.
   */
  private Future<Settlement> retryLater(InFlightMessage message, TaskOutcome outcome) {
    if ("provider_429".equals(outcome.code())) {
      return requeues.requeue(message, -1, outcome.reason());
    }
    if (message.receiveCount >= queues.maxReceiveCount() || "visibility_limit".equals(outcome.code())) {
      return giveUp(message, outcome);
    }
    int delay = returns.delaySeconds(message.receiveCount);
    LOG.info("task {} returned to SQS for {} s after receive {}: {}", outcome.customId(), delay,
        message.receiveCount, outcome.reason());
    return requeues.visibility(message, delay).map(Settlement.RETURNED);
  }

  private Future<Settlement> storeResult(InFlightMessage message, TaskOutcome outcome) {
    String line = SqsText.storableJson(outcome.resultLine());
    return oversize.fit(outcome.customId(), line)
        .map(SqsText::storableJson) // a trimmed line is encoded again
        .compose(fitted -> retries.store(() -> sendResult(message, fitted), "result of task " + outcome.customId()))
        .onSuccess(stored -> message.storedAtNanos = System.nanoTime())
        .compose(stored -> delete(message).map(Settlement.SUCCEEDED))
        .recover(error -> unstorable(message, outcome, line, error));
  }

  /** The answer was paid for: keep it on this node's disk, and dead-letter the task saying where it is. */
  private Future<Settlement> unstorable(InFlightMessage message, TaskOutcome outcome, String line, Throwable error) {
    stats.unstorable.increment();
    return oversize.keep(line)
        .map(where -> "the whole result line is kept in " + where)
        .otherwise(e -> "it could not be kept on disk either (" + e.getMessage() + ")")
        .compose(kept -> {
          String reason = "the answer could not be stored in the results queue (" + error.getMessage() + "); " + kept;
          LOG.error("task {}: {}", outcome.customId(), reason);
          stats.failures.record(FailureLog.Kind.UNSTORABLE, outcome.customId(), 0, "result_unstorable", reason,
              outcome.provider(), outcome.model());
          ResultLine.Meta meta = new ResultLine.Meta(outcome.attempts(), outcome.provider(), 0);
          String errorLine = ResultLine.failure(outcome.customId(), "result_unstorable", reason, meta).encode();
          return deadLetter(message, outcome.customId(), errorLine, "result_unstorable", reason);
        });
  }

  /** Out of receives: dead-letter it ourselves, so the DLQ entry and the result line say why. */
  private Future<Settlement> giveUp(InFlightMessage message, TaskOutcome outcome) {
    String reason = "visibility_limit".equals(outcome.code()) ? outcome.reason()
        : "gave up after " + message.receiveCount + " receives; last error: " + outcome.reason();
    String code = outcome.code() == null ? "retries_exhausted" : outcome.code();
    ResultLine.Meta meta = new ResultLine.Meta(outcome.attempts(), null, 0);
    String line = ResultLine.failure(outcome.customId(), code, reason, meta).encode();
    return deadLetter(message, outcome.customId(), line, code, reason);
  }

  /**
   * The DLQ entry first, then the error line (best effort: if SQS refuses it, the entry in the DLQ still says why),
   * then the delete.
   */
  private Future<Settlement> deadLetter(InFlightMessage message, String customId, String resultLine, String code,
      String reason) {
    LOG.warn("message {} dead-lettered: {} {}", message.messageId, code, reason);
    OutgoingMessage dead = DeadLetterMessage.build(message, code, reason, deadLetterBytes, queues.dlq());
    if (dead == null) {
      return stuck(message, customId, new IllegalStateException("the task alone is over what the DLQ takes ("
          + deadLetterBytes + " bytes)"));
    }
    return retries.store(() -> out.deadLetters().add(dead), "dead letter of message " + message.messageId)
        .compose(v -> errorLine(message, customId, resultLine))
        .compose(v -> delete(message).map(Settlement.DEAD_LETTERED))
        .recover(error -> stuck(message, customId, error));
  }

  private Future<Void> errorLine(InFlightMessage message, String customId, String line) {
    String storable = SqsText.storableJson(line);
    return retries.store(() -> sendResult(message, storable), "error line of " + customId)
        .recover(error -> {
          LOG.error("task {}: its error line could not be stored ({}); its DLQ entry says why it failed", customId,
              error.getMessage());
          return oversize.keep(storable).<Void>mapEmpty().otherwise((Void) null);
        });
  }

  /**
   * Not even the dead letter can be stored: the message stays in the queue and comes back after a growing delay;
   * the failures list on the dashboard shows it each time.
   */
  private Future<Settlement> stuck(InFlightMessage message, String customId, Throwable error) {
    int delay = STUCK.delaySeconds(message.receiveCount);
    String reason = "could not be dead-lettered (" + error.getMessage() + "); back in the queue in " + delay + " s";
    LOG.error("message {} (task {}) {}", message.messageId, customId, reason);
    stats.unstorable.increment();
    stats.failures.record(FailureLog.Kind.UNSTORABLE, customId, 0, "dead_letter_unstorable", reason, null, null);
    return requeues.visibility(message, delay).map(Settlement.RETURNED);
  }

  /**
   * A result line goes to the results queue; a line of a Batch API batch (tagged {@link BatchTag}) to the batch
   * results queue, tagged the same, from where it is collected into its batch's files.
   */
  private Future<Void> sendResult(InFlightMessage message, String line) {
    String batch = BatchTag.batchOf(message.attributes);
    if (batch != null && out.batchResults() != null) {
      OutgoingMessage tagged = new OutgoingMessage(line, BatchTag.of(batch, BatchTag.expiresOf(message.attributes)),
          null, null, 0);
      return out.batchResults().add(inResultGroup(message, tagged, queues.batchResults()));
    }
    return out.results().add(inResultGroup(message, OutgoingMessage.of(line), queues.results()));
  }

  /**
   * For a FIFO results queue, the line goes in the task's group, deduplicated by this receive of this message (its
   * id and receive count): a re-send of the same line (a batch retried) is dropped by SQS, but a new delivery — a
   * redrive or a resubmit (a new message id), a redelivery (a new receive) — and so a new outcome never is.
   */
  private static OutgoingMessage inResultGroup(InFlightMessage message, OutgoingMessage result, String queueUrl) {
    if (!FifoIds.isFifo(queueUrl)) {
      return result;
    }
    String key = "message:" + message.messageId + ":receive:" + message.receiveCount;
    return result.inGroup(message.groupId == null ? "llmw-results" : message.groupId, FifoIds.deduplicationId(key));
  }

  /** A failed delete after a stored result costs at most a duplicate result line, never a lost task. */
  private Future<Void> delete(InFlightMessage message) {
    return requeues.delete(message);
  }
}
