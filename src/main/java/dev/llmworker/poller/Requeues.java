package dev.llmworker.poller;

import dev.llmworker.retry.Backoff;
import dev.llmworker.sqs.DeadLetter;
import dev.llmworker.sqs.FifoIds;
import dev.llmworker.sqs.OutgoingMessage;
import dev.llmworker.sqs.QueueUrls;
import dev.llmworker.sqs.VisibilityChange;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Puts a message back in the tasks queue without using up one of its receives: a fresh copy (same body, same
 * attributes, {@code llmw-requeues} counted up) is sent and the received one deleted. On a FIFO queue a copy would go
 * to the end of its group, so there the message is returned by a visibility change (order kept, a receive used)
 * while it has receives left; only on its last receive is it copied.
 */
final class Requeues {
  private static final Logger LOG = LoggerFactory.getLogger(Requeues.class);
  static final String COUNT = DeadLetter.REQUEUES;
  private static final int MAX_ATTRIBUTES = 10;

  private final OutcomeSettler.Batchers out;
  private final QueueUrls queues;
  private final Backoff delays;

  Requeues(OutcomeSettler.Batchers out, QueueUrls queues, Backoff delays) {
    this.out = out;
    this.queues = queues;
    this.delays = delays;
  }

  /** {@code delaySeconds} -1: a backoff that grows with the times it was requeued before. */
  Future<Settlement> requeue(InFlightMessage message, int delaySeconds, String why) {
    int requeued = count(message);
    int delay = delaySeconds >= 0 ? delaySeconds : delays.delaySeconds(requeued + 1);
    boolean fifo = FifoIds.isFifo(queues.tasks());
    if (fifo && message.receiveCount < queues.maxReceiveCount()) {
      return visibility(message, delay).map(Settlement.RETURNED);
    }
    OutgoingMessage copy = new OutgoingMessage(message.body, attributes(message, requeued + 1), null, null, 0)
        .delayed(delay);
    if (fifo) {
      copy = copy.inGroup(message.groupId, FifoIds.deduplicationId("requeue:" + message.messageId + ":"
          + message.receiveCount));
    }
    LOG.info("message {} requeued{} ({})", message.messageId, delay > 0 ? " for " + delay + " s" : "", why);
    return out.requeues().add(copy)
        .compose(v -> delete(message))
        .map(Settlement.REQUEUED)
        .recover(error -> {
          LOG.warn("message {}: could not be requeued ({}); returning it instead", message.messageId,
              error.getMessage());
          return visibility(message, delay).map(Settlement.RETURNED);
        });
  }

  /** Makes the message visible again after {@code seconds} (if this fails, it reappears when its visibility ends). */
  Future<Void> visibility(InFlightMessage message, int seconds) {
    return out.visibility().add(new VisibilityChange(message.receiptHandle, seconds))
        .onFailure(e -> LOG.warn("message {}: could not change its visibility ({}); it reappears when its "
            + "visibility timeout ends", message.messageId, e.getMessage()))
        .otherwise((Void) null);
  }

  /** A failed delete costs at most a duplicate (a result line, a requeued copy), never a lost task. */
  Future<Void> delete(InFlightMessage message) {
    return out.deletes().add(message.receiptHandle)
        .recover(error -> {
          LOG.warn("message {}: delete failed ({}); it may be delivered again", message.messageId, error.getMessage());
          return Future.succeededFuture();
        });
  }

  private static int count(InFlightMessage message) {
    MessageAttributeValue v = message.attributes.get(COUNT);
    try {
      return v == null || v.stringValue() == null ? 0 : Integer.parseInt(v.stringValue().trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Map<String, MessageAttributeValue> attributes(InFlightMessage message, int requeues) {
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>(message.attributes);
    if (attributes.containsKey(COUNT) || attributes.size() < MAX_ATTRIBUTES) {
      attributes.put(COUNT, MessageAttributeValue.builder().dataType("Number").stringValue(
          String.valueOf(requeues)).build());
    }
    return attributes;
  }
}
