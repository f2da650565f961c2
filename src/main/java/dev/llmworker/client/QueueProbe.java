package dev.llmworker.client;

import dev.llmworker.app.ConfigException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Asks the tasks queue for its message size limit before a file is read: a wrong queue URL or an unreachable
 * endpoint shows at once, not after the first batch, and lines the queue itself would refuse are rejected by line.
 */
final class QueueProbe {
  /** An unreachable endpoint should be an answer within seconds, not a wait of the pool's acquisition timeout. */
  private static final Duration PATIENCE = Duration.ofSeconds(15);

  private QueueProbe() {}

  /**
   * The smaller of {@code sqs.maxMessageBytes} and the queue's MaximumMessageSize.
   *
   * @param key what named the queue, for messages: "--queue-url" or "sqs.queueUrl"
   */
  static MessageLimit limit(QueueClient client, String queueUrl, int configured, String key) {
    String size;
    try {
      size = client.clients().operations().getQueueAttributes(b -> b.queueUrl(queueUrl)
              .attributeNames(QueueAttributeName.MAXIMUM_MESSAGE_SIZE)
              .overrideConfiguration(o -> o.apiCallTimeout(PATIENCE))).join()
          .attributes().get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE);
    } catch (CompletionException e) {
      throw failure(e.getCause() == null ? e : e.getCause(), client, queueUrl, key);
    }
    int queueMax = parse(size);
    return queueMax > 0 && queueMax < configured
        ? new MessageLimit(queueMax, "the queue's MaximumMessageSize")
        : new MessageLimit(configured, "sqs.maxMessageBytes");
  }

  private static RuntimeException failure(Throwable e, QueueClient client, String queueUrl, String key) {
    if (e instanceof QueueDoesNotExistException) {
      return new ConfigException(key + ": no queue " + queueUrl + " at " + client.endpoint());
    }
    if (e instanceof AwsServiceException || e instanceof SdkClientException) {
      return new ClientException("the tasks queue " + queueUrl + " at " + client.endpoint() + " cannot be used: "
          + e.getMessage());
    }
    return e instanceof RuntimeException r ? r : new CompletionException(e);
  }

  private static int parse(String size) {
    try {
      return size == null ? 0 : Integer.parseInt(size.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
