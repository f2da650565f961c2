package dev.llmworker.app;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** The whole configuration, parsed and validated once at start. Immutable. */
public record LlmwConfig(
    Sqs sqs,
    Poller poller,
    Worker worker,
    Retry retry,
    Provider provider,
    Monitor monitor,
    Shutdown shutdown) {

  public LlmwConfig withSqs(Sqs value) {
    return new LlmwConfig(value, poller, worker, retry, provider, monitor, shutdown);
  }

  public LlmwConfig withWorker(Worker value) {
    return new LlmwConfig(sqs, poller, value, retry, provider, monitor, shutdown);
  }

  public LlmwConfig withProvider(Provider value) {
    return new LlmwConfig(sqs, poller, worker, retry, value, monitor, shutdown);
  }

  public LlmwConfig withMonitor(Monitor value) {
    return new LlmwConfig(sqs, poller, worker, retry, provider, value, shutdown);
  }

  /** SQS endpoint and queues. Empty endpoint and queueUrl mean: start the embedded SQS server. */
  public record Sqs(
      String endpoint,
      String region,
      String queueUrl,
      String resultsQueueUrl,
      String dlqUrl,
      String queueName,
      String resultsQueueName,
      String dlqName,
      int waitTimeSeconds,
      int visibilityTimeoutSeconds,
      int maxConnections,
      String embeddedHost,
      int embeddedPort,
      int maxReceiveCount) {

    public boolean embedded() {
      return endpoint.isEmpty() && queueUrl.isEmpty();
    }

    /** Embedded SQS on the given port, whatever endpoint or queue URLs were configured. */
    public Sqs embeddedOn(int port) {
      return new Sqs("", region, "", "", "", queueName, resultsQueueName, dlqName, waitTimeSeconds,
          visibilityTimeoutSeconds, maxConnections, embeddedHost, port, maxReceiveCount);
    }

    public Sqs withEndpoint(String newEndpoint) {
      return new Sqs(newEndpoint, region, queueUrl, resultsQueueUrl, dlqUrl, queueName, resultsQueueName,
          dlqName, waitTimeSeconds, visibilityTimeoutSeconds, maxConnections, embeddedHost, embeddedPort,
          maxReceiveCount);
    }
  }

  public record Poller(int maxConcurrentReceives, int receiveLingerMs, int flushIntervalMs, int maxBackingOffPercent) {}

  public record Worker(int instances, int concurrency, int taskTimeoutSeconds) {
    public int capacity() {
      return instances * concurrency;
    }
  }

  public record Retry(
      int inProcessMaxAttempts, int rateLimitedMaxAttempts, int baseDelayMs, int maxDelayMs, int returnBaseSeconds, int returnMaxSeconds) {}

  /** The LLM provider. The API key itself is never stored here: only the name of the variable holding it. */
  public record Provider(
      String name,
      String type,
      String baseUrl,
      String apiKeyEnv,
      int requestTimeoutSeconds,
      int connectTimeoutSeconds,
      List<String> models) {

    /** The same provider at another base URL with no API key (the built-in simulator, a local server). */
    public Provider local(String url) {
      return new Provider(name, type, url, "", requestTimeoutSeconds, connectTimeoutSeconds, models);
    }
  }

  public record Monitor(String host, int port, String token) {
    public Monitor withPort(int value) {
      return new Monitor(host, value, token);
    }

    public boolean controlsEnabled() {
      return !token.isEmpty();
    }

    @Override
    public String toString() {
      return "Monitor[host=" + host + ", port=" + port + ", token=" + (token.isEmpty() ? "" : "***") + "]";
    }
  }

  public record Shutdown(int graceSeconds) {}

  /** Validates the merged tree; throws {@link ConfigException} naming the first bad key. */
  public static LlmwConfig parse(JsonObject tree) {
    ConfigReader r = new ConfigReader(tree);
    Sqs sqs = new Sqs(
        r.url("sqs.endpoint", true),
        r.nonEmpty("sqs.region"),
        r.url("sqs.queueUrl", true),
        r.url("sqs.resultsQueueUrl", true),
        r.url("sqs.dlqUrl", true),
        r.nonEmpty("sqs.queueName"),
        r.nonEmpty("sqs.resultsQueueName"),
        r.nonEmpty("sqs.dlqName"),
        r.integer("sqs.waitTimeSeconds", 0, 20),
        r.integer("sqs.visibilityTimeoutSeconds", 1, 43_200),
        r.integer("sqs.maxConnections", 4, 10_000),
        r.nonEmpty("sqs.embedded.host"),
        r.integer("sqs.embedded.port", 0, 65_535),
        r.integer("sqs.maxReceiveCount", 1, 1000));
    Poller poller = new Poller(
        r.integer("poller.maxConcurrentReceives", 1, 100),
        r.integer("poller.receiveLingerMs", 0, 10_000),
        r.integer("poller.flushIntervalMs", 1, 10_000),
        r.integer("poller.maxBackingOffPercent", 0, 100));
    Worker worker = new Worker(
        r.integer("worker.instances", 0, 256),
        r.integer("worker.concurrency", 1, 10_000),
        r.integer("worker.taskTimeoutSeconds", 1, 43_200));
    Retry retry = new Retry(
        r.integer("retry.inProcessMaxAttempts", 1, 100),
        r.integer("retry.rateLimitedMaxAttempts", 1, 1000),
        r.integer("retry.baseDelayMs", 1, 3_600_000),
        r.integer("retry.maxDelayMs", 1, 3_600_000),
        r.integer("retry.returnBaseSeconds", 0, 43_200),
        r.integer("retry.returnMaxSeconds", 0, 43_200));
    Provider provider = new Provider(
        r.nonEmpty("provider.name"),
        r.oneOf("provider.type", "openai"),
        r.url("provider.baseUrl", false),
        r.string("provider.apiKeyEnv"),
        r.integer("provider.requestTimeoutSeconds", 1, 3600),
        r.integer("provider.connectTimeoutSeconds", 1, 600),
        r.strings("provider.models"));
    Monitor monitor = new Monitor(
        r.nonEmpty("monitor.host"), r.integer("monitor.port", 0, 65_535), r.string("monitor.token"));
    Shutdown shutdown = new Shutdown(r.integer("shutdown.graceSeconds", 0, 3600));
    return new LlmwConfig(sqs, poller, worker, retry, provider, monitor, shutdown);
  }
}
