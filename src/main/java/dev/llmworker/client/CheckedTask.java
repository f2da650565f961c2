package dev.llmworker.client;

/**
 * A task line that passed every check, ready to send: {@code body} is the line itself (or the line with
 * {@code "provider"} set), {@code groupId} and {@code deduplicationId} are null unless the queue is FIFO.
 */
public record CheckedTask(long line, String body, int bytes, String groupId, String deduplicationId) {}
