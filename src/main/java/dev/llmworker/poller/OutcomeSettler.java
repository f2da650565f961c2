package dev.llmworker.poller;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.sqs.FifoIds;
import dev.llmworker.sqs.OutgoingMessage;
import dev.llmworker.sqs.QueueUrls;
import dev.llmworker.sqs.SqsBatcher;
import dev.llmworker.sqs.VisibilityChange;
import dev.llmworker.task.ResultLine;
import dev.llmworker.task.TaskOutcome;
import dev.llmworker.worker.Backoff;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a worker's outcome to SQS. The message is deleted only after its result line (or its dead
 * letter) is stored; if storing fails, the message goes back to the queue instead, so nothing is lost.
 */
final class OutcomeSettler {
  private static final Logger LOG = LoggerFactory.getLogger(OutcomeSettler.class);

  /** The batchers a settler writes through, all on the poller's context. */
  record Batchers(
      SqsBatcher<OutgoingMessage> results,
      SqsBatcher<OutgoingMessage> deadLetters,
      SqsBatcher<String> deletes,
      SqsBatcher<VisibilityChange> visibility) {}

  private final Batchers out;
  private final QueueUrls queues;
  private final LlmwConfig.Retry retry;
  private final OversizeResults oversize;

  OutcomeSettler(Batchers out, QueueUrls queues, LlmwConfig.Retry retry, OversizeResults oversize) {
    this.out = out;
    this.queues = queues;
    this.retry = retry;
    this.oversize = oversize;
  }

  io.vertx.core.Future<Settlement> settle(InFlightMessage message, TaskOutcome outcome) {
    return switch (outcome.kind()) {
      case SUCCEEDED -> storeResult(message, outcome);
      case DEAD_LETTER -> deadLetter(message, outcome.resultLine(), outcome.code(), outcome.reason());
      case RETRY -> message.receiveCount >= queues.maxReceiveCount() && !throttled(outcome)
          ? giveUp(message, outcome) : giveBack(message, outcome);
      case RELEASED -> returnNow(message);
      case ALREADY_DONE -> delete(message).map(Settlement.SUCCEEDED);
    };
  }

  /** Throttling alone never dead-letters a task: the provider was busy, the task is fine. */
  private static boolean throttled(TaskOutcome outcome) {
    return "provider_429".equals(outcome.code());
  }

  private io.vertx.core.Future<Settlement> storeResult(InFlightMessage message, TaskOutcome outcome) {
    return oversize.fit(outcome.customId(), outcome.resultLine())
        .compose(line -> out.results().add(resultMessage(message, line)))
        .onSuccess(stored -> message.storedAtNanos = System.nanoTime())
        .compose(stored -> delete(message).map(Settlement.SUCCEEDED))
        .recover(error -> {
          LOG.warn("task {}: result not stored ({}); returning the message", outcome.customId(), error.getMessage());
          return returnNow(message);
        });
  }

  /** Out of receives: dead-letter it ourselves, so the DLQ entry and the result line say why. */
  private io.vertx.core.Future<Settlement> giveUp(InFlightMessage message, TaskOutcome outcome) {
    String reason = "gave up after " + message.receiveCount + " receives; last error: " + outcome.reason();
    String code = outcome.code() == null ? "retries_exhausted" : outcome.code();
    ResultLine.Meta meta = new ResultLine.Meta(outcome.attempts(), null, 0);
    String line = ResultLine.failure(outcome.customId(), code, reason, meta).encode();
    return deadLetter(message, line, code, reason);
  }

  private io.vertx.core.Future<Settlement> deadLetter(InFlightMessage message, String resultLine, String code,
      String reason) {
    LOG.warn("message {} dead-lettered: {} {}", message.messageId, code, reason);
    Map<String, String> attributes = Map.of(
        "llmw-error-code", code,
        "llmw-error-reason", reason,
        "llmw-receive-count", String.valueOf(message.receiveCount),
        "llmw-source-message-id", message.messageId,
        "llmw-failed-at", Instant.now().toString());
    OutgoingMessage dead = new OutgoingMessage(message.body == null ? "" : message.body, attributes);
    if (FifoIds.isFifo(queues.dlq())) {
      dead = dead.inGroup(message.groupId == null ? "llmw-dlq" : message.groupId, message.messageId);
    }
    return out.deadLetters().add(dead)
        .compose(v -> out.results().add(resultMessage(message, resultLine)))
        .compose(v -> delete(message).map(Settlement.DEAD_LETTERED))
        .recover(error -> {
          LOG.warn("message {}: dead letter not stored ({}); returning it", message.messageId, error.getMessage());
          return returnNow(message);
        });
  }

  private io.vertx.core.Future<Settlement> giveBack(InFlightMessage message, TaskOutcome outcome) {
    int delay = Backoff.returnDelaySeconds(message.receiveCount, retry.returnBaseSeconds(), retry.returnMaxSeconds());
    LOG.info("task {} returned to SQS for {} s after receive {}: {}", outcome.customId(), delay,
        message.receiveCount, outcome.reason());
    return out.visibility().add(new VisibilityChange(message.receiptHandle, delay))
        .otherwise(v -> null)
        .map(Settlement.RETURNED);
  }

  /**
   * A result line; for a FIFO results queue in the task's group, deduplicated by this receive of this message (its
   * id and receive count): a re-send of the same line (a batch retried) is dropped by SQS, but a new delivery — a
   * redrive or a resubmit (a new message id), a redelivery (a new receive) — and so a new outcome never is. Keyed by
   * custom_id, a success after a redrive was dropped within 5 minutes of the error line: a paid answer lost.
   */
  private OutgoingMessage resultMessage(InFlightMessage message, String line) {
    OutgoingMessage result = OutgoingMessage.of(line);
    if (!FifoIds.isFifo(queues.results())) {
      return result;
    }
    String key = "message:" + message.messageId + ":receive:" + message.receiveCount;
    return result.inGroup(message.groupId == null ? "llmw-results" : message.groupId, FifoIds.deduplicationId(key));
  }


  /** Makes the message visible again at once (it reappears by itself at visibility expiry if this fails). */
  io.vertx.core.Future<Settlement> returnNow(InFlightMessage message) {
    return out.visibility().add(new VisibilityChange(message.receiptHandle, 0))
        .onFailure(e -> LOG.warn("message {}: could not make it visible again ({}); it reappears when its "
            + "visibility timeout ends", message.messageId, e.getMessage()))
        .otherwise(v -> null)
        .map(Settlement.RETURNED);
  }

  /** A failed delete after a stored result costs at most a duplicate result line, never a lost task. */
  private io.vertx.core.Future<Void> delete(InFlightMessage message) {
    return out.deletes().add(message.receiptHandle)
        .recover(error -> {
          LOG.warn("message {}: delete failed ({}); it may be delivered again", message.messageId, error.getMessage());
          return io.vertx.core.Future.succeededFuture();
        });
  }
}
