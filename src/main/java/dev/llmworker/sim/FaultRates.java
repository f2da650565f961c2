package dev.llmworker.sim;

/**
 * Per-kind failure shares, each drawn independently of {@code errorRate}: 429 with Retry-After, 500, a hang
 * answered by 504 after {@code hangMs}, and a 200 whose JSON body is cut in half.
 */
public record FaultRates(double rate429, double rate500, double rateHang, double rateTruncated) {
  public static final FaultRates NONE = new FaultRates(0, 0, 0, 0);

  public FaultRates {
    for (double rate : new double[] {rate429, rate500, rateHang, rateTruncated}) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException("--rate-429, --rate-500, --rate-hang and --rate-truncated must be "
            + "between 0 and 1, got " + rate);
      }
    }
    if (rate429 + rate500 + rateHang + rateTruncated > 1 + 1e-9) {
      throw new IllegalArgumentException("--rate-429 + --rate-500 + --rate-hang + --rate-truncated must be at "
          + "most 1, got " + (rate429 + rate500 + rateHang + rateTruncated));
    }
  }

  boolean any() {
    return rate429 + rate500 + rateHang + rateTruncated > 0;
  }
}
