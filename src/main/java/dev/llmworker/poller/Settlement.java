package dev.llmworker.poller;

/** How a received message left this node: each one ends as exactly one of these. */
enum Settlement { SUCCEEDED, DEAD_LETTERED, RETURNED }
