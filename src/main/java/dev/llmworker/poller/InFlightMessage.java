package dev.llmworker.poller;

import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** A received SQS message that is not settled yet. */
final class InFlightMessage {
  final String messageId;
  final String receiptHandle;
  final String body;
  final int receiveCount;
  /** FIFO queues only, else null. */
  final String groupId;
  /** The worker instance it was last sent to. */
  String worker;
  /** Times it was sent on to another worker because the one it was sent to had stopped. */
  int redirects;
  /** Handed back to SQS by a stop; its late outcome, if any, is ignored. */
  boolean released;
  final long receivedAtNanos = System.nanoTime();
  /** When the result line was accepted by the results queue (0 until then). */
  long storedAtNanos;

  InFlightMessage(Message message) {
    this.messageId = message.messageId();
    this.receiptHandle = message.receiptHandle();
    this.body = message.body();
    String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
    this.receiveCount = parse(count);
    this.groupId = message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
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
