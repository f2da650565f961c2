package dev.llmworker.bus;

/** Poller → pollers, once a second, so that pollers split the worker slots; {@code gone} when it stops. */
public record PollerHeartbeat(String poller, boolean gone) {}
