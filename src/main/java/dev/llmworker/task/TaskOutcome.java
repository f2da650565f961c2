package dev.llmworker.task;

import io.vertx.core.json.JsonObject;

/**
 * A worker's answer for one task. The poller acts on it: store the result and delete the message
 * ({@link Kind#SUCCEEDED}), dead-letter it ({@link Kind#DEAD_LETTER}), give it back to SQS for a later
 * attempt ({@link Kind#RETRY}), or store the error line of a batch line not to be run ({@link Kind#SKIPPED}).
 */
public record TaskOutcome(
    Kind kind, String customId, String resultLine, String code, String reason, int attempts, long llmMs,
    String provider, String model, String endpoint) {

  /** RELEASED: never started (the worker is stopping); the message goes back to SQS at once, not counted as a try. */
  public enum Kind { SUCCEEDED, DEAD_LETTER, RETRY, RELEASED, ALREADY_DONE, SKIPPED }

  /** {@code provider}, {@code model} and {@code endpoint}: who answered what, for per-provider latency figures. */
  public static TaskOutcome succeeded(String customId, JsonObject resultLine, int attempts, long llmMs,
      String provider, String model, String endpoint) {
    return new TaskOutcome(Kind.SUCCEEDED, customId, resultLine.encode(), null, null, attempts, llmMs, provider,
        model, endpoint);
  }

  /** {@code provider}, {@code model}: the last one tried, null when the task never got that far. */
  public static TaskOutcome deadLetter(String customId, JsonObject resultLine, String code, String reason, int attempts,
      String provider, String model) {
    return new TaskOutcome(Kind.DEAD_LETTER, customId, resultLine.encode(), code, reason, attempts, 0, provider,
        model, null);
  }

  public static TaskOutcome retry(String customId, String code, String reason, int attempts) {
    return new TaskOutcome(Kind.RETRY, customId, null, code, reason, attempts, 0, null, null, null);
  }

  /** The result of this message was stored before (it came back after a failed delete): only delete it. */
  public static TaskOutcome alreadyDone() {
    return new TaskOutcome(Kind.ALREADY_DONE, null, null, "already_done", "result stored before", 0, 0, null, null,
        null);
  }

  /**
   * Not run, and not to be: a line of a batch that was cancelled or has expired. Its error line is stored like a
   * result (so the batch's error file has it) and the message deleted; no LLM is called.
   */
  public static TaskOutcome skipped(String customId, String code, String reason) {
    JsonObject line = ResultLine.failure(customId, code, reason, new ResultLine.Meta(0, null, 0));
    return new TaskOutcome(Kind.SKIPPED, customId, line.encode(), code, reason, 0, 0, null, null, null);
  }

  public static TaskOutcome released() {
    return givenBack("released", "worker stopping");
  }

  /** Not run, or not to be waited for (a stop, a lost worker, a pause): back to the queue, not counted as a try. */
  public static TaskOutcome givenBack(String code, String reason) {
    return new TaskOutcome(Kind.RELEASED, null, null, code, reason, 0, 0, null, null, null);
  }
}
