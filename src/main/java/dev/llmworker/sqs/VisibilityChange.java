package dev.llmworker.sqs;

/** Make a received message invisible for {@code seconds} more (0 = visible again now). */
public record VisibilityChange(String receiptHandle, int seconds) {}
