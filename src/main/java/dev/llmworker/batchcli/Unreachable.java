package dev.llmworker.batchcli;

/** The Batch API did not answer at all (refused, timed out, reset): unlike an error answer, worth trying again. */
final class Unreachable extends RuntimeException {
  Unreachable(String message) {
    super(message);
  }
}
