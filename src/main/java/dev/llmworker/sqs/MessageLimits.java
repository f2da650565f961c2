package dev.llmworker.sqs;

import io.vertx.core.Future;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * How large a message the results queue and the dead-letter queue take: {@code sqs.maxMessageBytes}, or a queue's own
 * smaller {@code MaximumMessageSize}. Result lines over it go the oversize path (trimmed, kept whole on disk) instead
 * of being refused by SQS.
 */
public record MessageLimits(int results, int deadLetters) {
  private static final Logger LOG = LoggerFactory.getLogger(MessageLimits.class);

  /** Reads both queues' {@code MaximumMessageSize}; a queue that does not say (or cannot be asked) keeps the config's. */
  public static Future<MessageLimits> read(SqsAsyncClient sqs, QueueUrls queues, int configured) {
    return Future.join(limit(sqs, queues.results(), configured), limit(sqs, queues.dlq(), configured))
        .map(all -> new MessageLimits(all.<Integer>resultAt(0), all.<Integer>resultAt(1)));
  }

  private static Future<Integer> limit(SqsAsyncClient sqs, String url, int configured) {
    return Future.fromCompletionStage(sqs.getQueueAttributes(b -> b.queueUrl(url)
            .attributeNames(QueueAttributeName.MAXIMUM_MESSAGE_SIZE)))
        .map(r -> smaller(r.attributes(), url, configured))
        .otherwise(e -> configured);
  }

  private static int smaller(Map<QueueAttributeName, String> attributes, String url, int configured) {
    try {
      int own = Integer.parseInt(attributes.getOrDefault(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "").trim());
      if (own > 0 && own < configured) {
        LOG.info("{} takes messages of at most {} bytes (its MaximumMessageSize), less than sqs.maxMessageBytes ({}): "
            + "longer lines to it are trimmed to fit", url, own, configured);
        return own;
      }
      return configured;
    } catch (NumberFormatException e) {
      return configured;
    }
  }
}
