package dev.llmworker.bus;

/** Node → its own verticles (local only) during a stop. */
public enum ShutdownPhase {
  /** Take no more tasks; hand back the ones not started. */
  DRAIN,
  /** The grace period is over, or a second signal came: stop waiting for running tasks. */
  HURRY
}
