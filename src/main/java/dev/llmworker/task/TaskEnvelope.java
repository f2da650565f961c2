package dev.llmworker.task;

/** What the poller sends a worker for one received SQS message (an event-bus message, see {@code BusCodecs}). */
public record TaskEnvelope(String messageId, String body, int receiveCount) {}
