package dev.llmworker.batchcli;

/** The command line or the environment cannot work as given (exit code 2); the message says what to change. */
final class UsageProblem extends RuntimeException {
  UsageProblem(String message) {
    super(message);
  }
}
