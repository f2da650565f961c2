package dev.llmworker.poller;

/**
 * How a received message left this node: each one ends as exactly one of these. RETURNED (a visibility change) lets
 * SQS count the next receive against the task; REQUEUED (a fresh copy sent, the old one deleted) does not.
 */
enum Settlement { SUCCEEDED, DEAD_LETTERED, RETURNED, REQUEUED }
