package dev.llmworker.client;

/** A command cannot go on, for a reason a person can act on; printed without a stack trace (exit code 1). */
public final class ClientException extends RuntimeException {
  public ClientException(String message) {
    super(message);
  }
}
