package dev.llmworker.bus;

/**
 * Worker instance → pollers, once a second (and at once when its budget room changes): how many tasks it takes
 * ({@code capacity}, 0 while it drains), how many of its tasks wait on a retry backoff, and how many more tasks its
 * node's rate budgets can start within the admission horizon ({@code budgetRoom}, -1 unlimited).
 */
public record CapacityAnnouncement(String worker, String node, int capacity, int backingOff, long budgetRoom) {}
