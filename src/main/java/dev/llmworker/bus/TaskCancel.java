package dev.llmworker.bus;

/** Poller → the worker instance running a task: the poller gave it back; make no further attempt. */
public record TaskCancel(String messageId) {}
