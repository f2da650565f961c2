package dev.llmworker.sqs;

/** The resolved queues of a node, and how many receives SQS allows before it dead-letters a task. */
public record QueueUrls(String tasks, String results, String dlq, int maxReceiveCount) {}
