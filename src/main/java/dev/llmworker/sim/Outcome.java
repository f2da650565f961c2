package dev.llmworker.sim;

/**
 * What to answer and when; status 200 is a normal completion, {@link Dice#TRUNCATED} a cut-off one.
 *
 * @param why shown in the error message, so a test failure says which rule fired
 */
record Outcome(long delayMs, int status, String why) {

  /** Directives win over chance, so tests get exactly what they ask for. */
  static Outcome decide(Directives directives, int attempt, Dice.Roll roll, int hangMs) {
    long latency = directives.latencyMs() >= 0 ? directives.latencyMs() : roll.latencyMs();
    if (directives.status() > 0) {
      return new Outcome(latency, directives.status(), "status=" + directives.status());
    }
    if (attempt <= directives.failFirst()) {
      return new Outcome(latency, directives.failStatus(), "fail_first=" + directives.failFirst() + ", attempt "
          + attempt);
    }
    if (roll.failure() == 504) {
      return new Outcome(hangMs, 504, "error rate, hung " + hangMs + " ms");
    }
    if (roll.failure() == 429) {
      return new Outcome(Math.min(latency, 50), 429, "rate 429");
    }
    if (roll.failure() == Dice.TRUNCATED) {
      return new Outcome(latency, Dice.TRUNCATED, "rate truncated");
    }
    if (roll.failure() > 0) {
      return new Outcome(latency, roll.failure(), "error rate");
    }
    return new Outcome(latency, 200, "");
  }

  /** The error message of a simulated failure; the same words in every dialect. */
  String message() {
    return switch (status) {
      case 429 -> "Rate limit reached (simulated: " + why + ").";
      case 500 -> "The server had an error while processing your request (simulated: " + why + ").";
      case 503 -> "The engine is currently overloaded, please try again later (simulated: " + why + ").";
      case 504 -> "The server did not answer in time (simulated: " + why + ").";
      default -> "Simulated status " + status + " (" + why + ").";
    };
  }
}
