package dev.llmworker.sqs;

/**
 * The resolved queues of a node, and how many receives SQS allows before it dead-letters a task. {@code batchResults}
 * takes the result lines of Batch API tasks (collected into their batch's files); null when there is no such queue.
 */
public record QueueUrls(String tasks, String results, String dlq, int maxReceiveCount, String batchResults) {
  public QueueUrls(String tasks, String results, String dlq, int maxReceiveCount) {
    this(tasks, results, dlq, maxReceiveCount, null);
  }
}
