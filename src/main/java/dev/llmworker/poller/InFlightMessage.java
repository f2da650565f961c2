package dev.llmworker.poller;

import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** A received SQS message that is not settled yet. Its {@link #state} is changed by {@link MessageLedger} only. */
final class InFlightMessage {
  final String messageId;
  final String receiptHandle;
  final String body;
  final int receiveCount;
  /** FIFO queues only, else null. */
  final String groupId;
  /** The task's own message attributes, sent along when it is requeued. */
  final Map<String, MessageAttributeValue> attributes;
  /** Null once it has ended. */
  MessageLedger.State state;
  /** The worker instance it was last sent to. */
  String worker;
  /** Times it was sent on to another worker because the one it was sent to had stopped. */
  int redirects;
  /** Given back by a stop while its worker was still running it. */
  boolean cutShort;
  final long receivedAtNanos = System.nanoTime();
  /** When the result line was accepted by the results queue (0 until then). */
  long storedAtNanos;

  InFlightMessage(Message message) {
    this.messageId = message.messageId();
    this.receiptHandle = message.receiptHandle();
    this.body = message.body() == null ? "" : message.body();
    String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
    this.receiveCount = parse(count);
    this.groupId = message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
    this.attributes = message.messageAttributes();
  }

  /** Receive to result stored: how long the task took end to end, as a consumer of results sees it. */
  long endToEndMs() {
    long end = storedAtNanos > 0 ? storedAtNanos : System.nanoTime();
    return (end - receivedAtNanos) / 1_000_000;
  }

  private static int parse(String count) {
    try {
      return count == null ? 1 : Integer.parseInt(count);
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
