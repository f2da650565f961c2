package dev.llmworker.provider;

/** A failed provider call, classified. Expected failures carry no stack trace: they are not bugs. */
public final class ProviderFailure extends RuntimeException {
  public enum Kind { RATE_LIMITED, TRANSIENT, PERMANENT }

  private final Kind kind;
  private final int statusCode;
  private final long retryAfterMs;
  private final RateHeaders rateHeaders;
  /** A code of llm-worker's own when it refused the call itself, else null. */
  private final String refusal;

  public ProviderFailure(Kind kind, int statusCode, long retryAfterMs, String message) {
    this(kind, statusCode, retryAfterMs, message, RateHeaders.NONE);
  }

  private ProviderFailure(Kind kind, int statusCode, long retryAfterMs, String message, RateHeaders rateHeaders) {
    this(kind, statusCode, retryAfterMs, message, rateHeaders, null);
  }

  private ProviderFailure(Kind kind, int statusCode, long retryAfterMs, String message, RateHeaders rateHeaders,
      String refusal) {
    super(message, null, false, false);
    this.kind = kind;
    this.statusCode = statusCode;
    this.retryAfterMs = retryAfterMs;
    this.rateHeaders = rateHeaders;
    this.refusal = refusal;
  }

  /** llm-worker refused to make the call at all (it could never succeed): permanent, with its own code. */
  public static ProviderFailure refused(String code, String message) {
    return new ProviderFailure(Kind.PERMANENT, 0, -1, message, RateHeaders.NONE, code);
  }

  /** The same failure, with what the provider said about its limits. */
  ProviderFailure withRateHeaders(RateHeaders headers) {
    return new ProviderFailure(kind, statusCode, retryAfterMs, getMessage(), headers, refusal);
  }

  public RateHeaders rateHeaders() {
    return rateHeaders;
  }

  /** The provider answered, but more than {@code provider.maxResponseBytes}: permanent, the same task would again. */
  public static ProviderFailure responseTooLarge(String message) {
    return new ProviderFailure(Kind.PERMANENT, 200, -1, message, RateHeaders.NONE, "response_too_large");
  }

  /** Maps an HTTP status that is not 2xx: 429 throttles, 408/409/5xx are worth retrying, other 4xx never are. */
  public static ProviderFailure forStatus(int status, long retryAfterMs, String message) {
    if (status == 429) {
      return new ProviderFailure(Kind.RATE_LIMITED, status, retryAfterMs, message);
    }
    if (status == 408 || status == 409 || status >= 500) {
      return new ProviderFailure(Kind.TRANSIENT, status, retryAfterMs, message);
    }
    return new ProviderFailure(Kind.PERMANENT, status, -1, message);
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or 0 when the call failed before an answer (timeout, connection refused). */
  public int statusCode() {
    return statusCode;
  }

  /** The delay the provider asked for, or -1. */
  public long retryAfterMs() {
    return retryAfterMs;
  }

  /** A short machine code for result lines and DLQ attributes, e.g. provider_429, provider_timeout. */
  public String code() {
    if (refusal != null) {
      return refusal;
    }
    return statusCode > 0 ? "provider_" + statusCode : "provider_unreachable";
  }
}
