package dev.llmworker.sim;

import java.util.SplittableRandom;

/**
 * The simulator's chance: a latency and maybe an injected failure per request. Each roll draws in a fixed order,
 * so the same seed and the same request order give the same sequence. One event loop rolls; the fault rates
 * may be swapped from any thread (a test turning 500s on and off), so they sit in a volatile read once per roll.
 */
final class Dice {
  static final int[] FAILURES = {500, 503, 504};

  /** A 200 whose JSON body is cut in half. */
  static final int TRUNCATED = -1;

  /** @param failure 0 for none, else 429, 500, 503, 504 (a hang answered by 504) or {@link #TRUNCATED} */
  record Roll(long latencyMs, int failure) {}

  private final SimulatorOptions options;
  private final SplittableRandom random;
  private volatile FaultRates faults;

  Dice(SimulatorOptions options) {
    this.options = options;
    this.random = new SplittableRandom(options.seed());
    this.faults = options.faults();
  }

  /** The rates for the rolls from now on. */
  void setFaults(FaultRates rates) {
    if (rates == null) {
      throw new IllegalArgumentException("faults must not be null (use FaultRates.NONE)");
    }
    faults = rates;
  }

  FaultRates faults() {
    return faults;
  }

  Roll roll() {
    int failure = 0;
    if (options.errorRate() > 0 && random.nextDouble() < options.errorRate()) {
      failure = FAILURES[random.nextInt(FAILURES.length)];
    }
    FaultRates faults = this.faults; // one read, so a concurrent swap cannot mix two sets of rates
    if (failure == 0 && faults.any()) { // drawn only when set, so older seeds keep their sequences
      double r = random.nextDouble();
      if (r < faults.rate429()) {
        failure = 429;
      } else if (r < faults.rate429() + faults.rate500()) {
        failure = 500;
      } else if (r < faults.rate429() + faults.rate500() + faults.rateHang()) {
        failure = 504;
      } else if (r < faults.rate429() + faults.rate500() + faults.rateHang() + faults.rateTruncated()) {
        failure = TRUNCATED;
      }
    }
    long latency = options.latencyMs();
    if (options.jitterMs() > 0) {
      latency += random.nextLong(-options.jitterMs(), options.jitterMs() + 1);
    }
    return new Roll(Math.max(0, latency), failure);
  }
}
