package dev.llmworker.client;

import dev.llmworker.sqs.QueueUrls;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Moves the whole dead-letter queue back with SQS's own message move task (StartMessageMoveTask): the server
 * does the work, keeps message attributes, and nothing passes through this process. Not every endpoint or queue
 * supports it (older SQS-compatible servers, some FIFO setups, a DLQ no redrive policy names): then
 * {@link Unsupported} says why and the caller moves messages itself. Blocking: for command-line threads.
 */
final class NativeRedrive {
  private static final long POLL_MS = 500;

  /** The endpoint or the queues do not allow a native move; {@code getMessage()} says what SQS answered. */
  static final class Unsupported extends RuntimeException {
    Unsupported(String message) {
      super(message);
    }
  }

  private final SqsAsyncClient sqs;
  private final QueueUrls queues;

  NativeRedrive(SqsAsyncClient sqs, QueueUrls queues) {
    this.sqs = sqs;
    this.queues = queues;
  }

  /** Starts the move and waits for it to end; returns how many messages SQS says it moved. */
  long moveAll(Progress progress) throws InterruptedException {
    String source = arn(queues.dlq());
    String destination = arn(queues.tasks());
    try {
      sqs.startMessageMoveTask(b -> b.sourceArn(source).destinationArn(destination)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof AwsServiceException refused && refused.statusCode() >= 400
          && refused.statusCode() < 500) {
        throw new Unsupported(refused.awsErrorDetails() == null ? refused.getMessage()
            : refused.awsErrorDetails().errorCode() + ": " + refused.awsErrorDetails().errorMessage());
      }
      throw e;
    }
    return await(source, progress);
  }

  private long await(String source, Progress progress) throws InterruptedException {
    while (true) {
      ListMessageMoveTasksResultEntry task = latest(source);
      long moved = task.approximateNumberOfMessagesMoved() == null ? 0 : task.approximateNumberOfMessagesMoved();
      long total = task.approximateNumberOfMessagesToMove() == null ? -1 : task.approximateNumberOfMessagesToMove();
      String status = task.status();
      if ("COMPLETED".equals(status)) {
        return moved;
      }
      if ("FAILED".equals(status) || "CANCELLED".equals(status)) {
        throw new ClientException("the SQS move task " + status.toLowerCase(java.util.Locale.ROOT) + " after "
            + moved + " messages" + (task.failureReason() == null ? "" : ": " + task.failureReason()));
      }
      progress.update(moved, total > 0 ? (double) moved / total : -1, "");
      Thread.sleep(POLL_MS); // a CLI waiting on a server-side task: SQS offers no completion event
    }
  }

  private ListMessageMoveTasksResultEntry latest(String source) {
    var results = sqs.listMessageMoveTasks(b -> b.sourceArn(source).maxResults(1)).join().results();
    if (results.isEmpty()) {
      throw new ClientException("SQS lists no move task for " + source + " right after starting one");
    }
    return results.get(0);
  }

  private String arn(String url) {
    return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).join()
        .attributes().get(QueueAttributeName.QUEUE_ARN);
  }
}
