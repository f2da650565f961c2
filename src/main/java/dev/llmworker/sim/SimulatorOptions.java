package dev.llmworker.sim;

import io.vertx.core.json.JsonObject;

/**
 * How the LLM simulator behaves. A count of 0 means "off": no latency, no limit, no errors.
 *
 * @param host      interface to listen on
 * @param port      port to listen on; 0 picks any free port
 * @param latencyMs time before a normal answer
 * @param jitterMs  latency is drawn uniformly from {@code [latencyMs - jitterMs, latencyMs + jitterMs]}, at least 0
 * @param rpm       requests per sliding minute; 0 = unlimited
 * @param tpm       tokens per sliding minute (prompt + requested completion); 0 = unlimited
 * @param errorRate share of requests that fail: a third each 500, 503 and a hang answered by 504
 * @param seed      seed of the error and jitter draws; the same seed gives the same sequence
 * @param hangMs    how long an injected timeout holds the request before answering 504
 * @param faults    per-kind failure shares (429, 500, hang, truncated JSON), on top of {@code errorRate}
 * @param apiKey    when not empty, the key each dialect must present in its own header (Bedrock excepted); a
 *                  wrong or missing one gets a 401
 * @param rateHeaders false leaves out every rate-limit header, for clients that must adapt from 429s alone
 * @param windowSeconds the limiter's sliding window (60 = per minute, as providers do); a shorter one allows
 *                  {@code rpm * windowSeconds / 60} requests per window, so tests see the limit bite sooner
 */
public record SimulatorOptions(String host, int port, int latencyMs, int jitterMs, int rpm, int tpm,
    double errorRate, long seed, int hangMs, FaultRates faults, String apiKey, boolean rateHeaders,
    int windowSeconds) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_LATENCY_MS = 200;
  public static final long DEFAULT_SEED = 42;
  public static final int DEFAULT_HANG_MS = 30_000;

  /** Keys of {@link #toJson()}, the verticle's deployment config. */
  static final class Keys {
    static final String HOST = "host";
    static final String PORT = "port";
    static final String LATENCY_MS = "latencyMs";
    static final String JITTER_MS = "jitterMs";
    static final String RPM = "rpm";
    static final String TPM = "tpm";
    static final String ERROR_RATE = "errorRate";
    static final String SEED = "seed";
    static final String HANG_MS = "hangMs";
    static final String RATE_429 = "rate429";
    static final String RATE_500 = "rate500";
    static final String RATE_HANG = "rateHang";
    static final String RATE_TRUNCATED = "rateTruncated";
    static final String API_KEY = "apiKey";
    static final String RATE_HEADERS = "rateHeaders";
    static final String WINDOW_SECONDS = "windowSeconds";

    private Keys() {}
  }

  public SimulatorOptions {
    apiKey = apiKey == null ? "" : apiKey; // null and "" both mean "no check"
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(Keys.HOST + " must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(Keys.PORT + " must be between 0 and 65535, got " + port);
    }
    requireNotNegative(Keys.LATENCY_MS, latencyMs);
    requireNotNegative(Keys.JITTER_MS, jitterMs);
    requireNotNegative(Keys.RPM, rpm);
    requireNotNegative(Keys.TPM, tpm);
    requireNotNegative(Keys.HANG_MS, hangMs);
    if (windowSeconds < 1 || windowSeconds > 60) {
      throw new IllegalArgumentException(Keys.WINDOW_SECONDS + " must be between 1 and 60, got " + windowSeconds);
    }
    if (faults == null) {
      throw new IllegalArgumentException("faults must not be null (use FaultRates.NONE)");
    }
    if (!(errorRate >= 0 && errorRate <= 1)) { // also rejects NaN
      throw new IllegalArgumentException(Keys.ERROR_RATE + " must be between 0 and 1, got " + errorRate);
    }
  }

  /** Without a key check, with rate headers. */
  public SimulatorOptions(String host, int port, int latencyMs, int jitterMs, int rpm, int tpm, double errorRate,
      long seed, int hangMs, FaultRates faults) {
    this(host, port, latencyMs, jitterMs, rpm, tpm, errorRate, seed, hangMs, faults, "", true, 60);
  }

  /** Without per-kind faults. */
  public SimulatorOptions(String host, int port, int latencyMs, int jitterMs, int rpm, int tpm, double errorRate,
      long seed, int hangMs) {
    this(host, port, latencyMs, jitterMs, rpm, tpm, errorRate, seed, hangMs, FaultRates.NONE);
  }

  public static SimulatorOptions defaults() {
    return new SimulatorOptions(DEFAULT_HOST, 0, DEFAULT_LATENCY_MS, 0, 0, 0, 0, DEFAULT_SEED, DEFAULT_HANG_MS);
  }

  public SimulatorOptions withFaults(FaultRates value) {
    return new SimulatorOptions(host, port, latencyMs, jitterMs, rpm, tpm, errorRate, seed, hangMs, value, apiKey,
        rateHeaders, windowSeconds);
  }

  public SimulatorOptions withRate429(double rate) {
    return withFaults(new FaultRates(rate, faults.rate500(), faults.rateHang(), faults.rateTruncated()));
  }

  public SimulatorOptions withRate500(double rate) {
    return withFaults(new FaultRates(faults.rate429(), rate, faults.rateHang(), faults.rateTruncated()));
  }

  public SimulatorOptions withRateHang(double rate) {
    return withFaults(new FaultRates(faults.rate429(), faults.rate500(), rate, faults.rateTruncated()));
  }

  public SimulatorOptions withRateTruncated(double rate) {
    return withFaults(new FaultRates(faults.rate429(), faults.rate500(), faults.rateHang(), rate));
  }

  public SimulatorOptions withHost(String host) {
    return new SimulatorOptions(host, port, latencyMs, jitterMs, rpm, tpm, errorRate, seed, hangMs, faults, apiKey,
        rateHeaders, windowSeconds);
  }

  public SimulatorOptions withPort(int port) {
    return new SimulatorOptions(host, port, latencyMs, jitterMs, rpm, tpm, errorRate, seed, hangMs, faults, apiKey,
        rateHeaders, windowSeconds);
  }

  public SimulatorOptions withLatencyMs(int latencyMs) {
    return new SimulatorOptions(host, port, latencyMs, jitterMs, rpm, tpm, errorRate, seed, hangMs, faults, apiKey,
        rateHeaders, windowSeconds);
  }

  public SimulatorOptions withJitterMs(int jitterMs) {
    return new SimulatorOptions(host, port, latencyMs, jitterMs, rpm, tpm, errorRate, seed, hangMs, faults, apiKey,
        rateHeaders, windowSeconds);
  }

  public SimulatorOptions withRpm(int rpm) {
    return new SimulatorOptions(host, port, latencyMs, jitterMs, rpm, tpm, errorRate, seed, hangMs, faults, apiKey,
        rateHeaders, windowSeconds);
  }

  public SimulatorOptions withTpm(int tpm) {
    return new SimulatorOptions(host, port, latencyMs, jitterMs, rpm, tpm, errorRate, seed, hangMs, faults, apiKey,
        rateHeaders, windowSeconds);
  }

  public SimulatorOptions withErrorRate(double errorRate) {
    return new SimulatorOptions(host, port, latencyMs, jitterMs, rpm, tpm, errorRate, seed, hangMs, faults, apiKey,
        rateHeaders, windowSeconds);
  }

  public SimulatorOptions withSeed(long seed) {
    return new SimulatorOptions(host, port, latencyMs, jitterMs, rpm, tpm, errorRate, seed, hangMs, faults, apiKey,
        rateHeaders, windowSeconds);
  }

  public SimulatorOptions withHangMs(int hangMs) {
    return new SimulatorOptions(host, port, latencyMs, jitterMs, rpm, tpm, errorRate, seed, hangMs, faults, apiKey,
        rateHeaders, windowSeconds);
  }

  public SimulatorOptions withApiKey(String apiKey) {
    return new SimulatorOptions(host, port, latencyMs, jitterMs, rpm, tpm, errorRate, seed, hangMs, faults, apiKey,
        rateHeaders, windowSeconds);
  }

  public SimulatorOptions withRateHeaders(boolean rateHeaders) {
    return new SimulatorOptions(host, port, latencyMs, jitterMs, rpm, tpm, errorRate, seed, hangMs, faults, apiKey,
        rateHeaders, windowSeconds);
  }

  public SimulatorOptions withWindowSeconds(int windowSeconds) {
    return new SimulatorOptions(host, port, latencyMs, jitterMs, rpm, tpm, errorRate, seed, hangMs, faults, apiKey,
        rateHeaders, windowSeconds);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(Keys.HOST, host)
        .put(Keys.PORT, port)
        .put(Keys.LATENCY_MS, latencyMs)
        .put(Keys.JITTER_MS, jitterMs)
        .put(Keys.RPM, rpm)
        .put(Keys.TPM, tpm)
        .put(Keys.ERROR_RATE, errorRate)
        .put(Keys.SEED, seed)
        .put(Keys.HANG_MS, hangMs)
        .put(Keys.RATE_429, faults.rate429())
        .put(Keys.RATE_500, faults.rate500())
        .put(Keys.RATE_HANG, faults.rateHang())
        .put(Keys.RATE_TRUNCATED, faults.rateTruncated())
        .put(Keys.API_KEY, apiKey)
        .put(Keys.RATE_HEADERS, rateHeaders)
        .put(Keys.WINDOW_SECONDS, windowSeconds);
  }

  /** Missing keys take their defaults; a wrong type or value throws {@link IllegalArgumentException}. */
  public static SimulatorOptions fromJson(JsonObject json) {
    SimulatorOptions d = defaults();
    try {
      return new SimulatorOptions(
          json.getString(Keys.HOST, d.host),
          json.getInteger(Keys.PORT, d.port),
          json.getInteger(Keys.LATENCY_MS, d.latencyMs),
          json.getInteger(Keys.JITTER_MS, d.jitterMs),
          json.getInteger(Keys.RPM, d.rpm),
          json.getInteger(Keys.TPM, d.tpm),
          json.getDouble(Keys.ERROR_RATE, d.errorRate),
          json.getLong(Keys.SEED, d.seed),
          json.getInteger(Keys.HANG_MS, d.hangMs),
          new FaultRates(json.getDouble(Keys.RATE_429, 0.0), json.getDouble(Keys.RATE_500, 0.0),
              json.getDouble(Keys.RATE_HANG, 0.0), json.getDouble(Keys.RATE_TRUNCATED, 0.0)),
          json.getString(Keys.API_KEY, d.apiKey),
          json.getBoolean(Keys.RATE_HEADERS, d.rateHeaders),
          json.getInteger(Keys.WINDOW_SECONDS, d.windowSeconds));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("simulator options: a value has the wrong type in " + json.encode(), e);
    }
  }

  private static void requireNotNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be 0 or more, got " + value);
    }
  }
}
