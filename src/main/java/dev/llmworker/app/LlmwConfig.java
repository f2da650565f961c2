package dev.llmworker.app;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** The whole configuration, parsed and validated once at start. Immutable. */
public record LlmwConfig(
    Sqs sqs,
    Poller poller,
    Worker worker,
    Retry retry,
    List<Provider> providers,
    Map<String, Price> prices,
    Results results,
    Monitor monitor,
    Shutdown shutdown,
    Cluster cluster,
    Api api) {

  /** The default provider: tasks that name neither a provider nor a model another provider serves go here. */
  public Provider provider() {
    return providers.get(0);
  }

  public LlmwConfig withProviders(List<Provider> value) {
    return new LlmwConfig(sqs, poller, worker, retry, List.copyOf(value), prices, results, monitor, shutdown, cluster, api);
  }


  public LlmwConfig withPrices(Map<String, Price> value) {
    return new LlmwConfig(sqs, poller, worker, retry, providers, Map.copyOf(value), results, monitor, shutdown,
        cluster, api);
  }

  public LlmwConfig withSqs(Sqs value) {
    return new LlmwConfig(value, poller, worker, retry, providers, prices, results, monitor, shutdown, cluster, api);
  }

  public LlmwConfig withWorker(Worker value) {
    return new LlmwConfig(sqs, poller, value, retry, providers, prices, results, monitor, shutdown, cluster, api);
  }

  /** Replaces the default (first) provider. */
  public LlmwConfig withProvider(Provider value) {
    List<Provider> list = new java.util.ArrayList<>(providers);
    list.set(0, value);
    return withProviders(list);
  }

  public LlmwConfig withCluster(Cluster value) {
    return new LlmwConfig(sqs, poller, worker, retry, providers, prices, results, monitor, shutdown, value, api);
  }

  public LlmwConfig withMonitor(Monitor value) {
    return new LlmwConfig(sqs, poller, worker, retry, providers, prices, results, value, shutdown, cluster, api);
  }

  /**
   * The OpenAI-compatible Files and Batches API ({@code /v1/...} on the monitor's port): on when {@code tokens}
   * lists at least one bearer token.
   */
  public record Api(List<String> tokens, int maxUploadBytes, int maxBatchLines, int completionWindowSeconds,
      Store store) {
    public boolean enabled() {
      return !tokens.isEmpty();
    }

    @Override
    public String toString() {
      return "Api[tokens=" + tokens.size() + ", maxUploadBytes=" + maxUploadBytes + ", maxBatchLines="
          + maxBatchLines + ", completionWindowSeconds=" + completionWindowSeconds + ", store=" + store + "]";
    }
  }

  /**
   * Where the Batch API keeps files and job records. With {@code bucket} set: that bucket, on AWS S3 in
   * {@code region} ({@code endpoint} "") or on another S3-protocol server (MinIO and the like). With no bucket: the
   * embedded S3Proxy on {@code embeddedHost:embeddedPort} (0 = a free port) over the directory {@code embeddedDir}.
   */
  public record Store(String endpoint, String bucket, String prefix, String region, String embeddedHost,
      int embeddedPort, String embeddedDir) {
    public static final String EMBEDDED_BUCKET = "llm-worker";

    public boolean embedded() {
      return bucket.isEmpty();
    }

    /** The bucket used: the configured one, or the embedded store's own. */
    public String bucketName() {
      return embedded() ? EMBEDDED_BUCKET : bucket;
    }
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
      int maxReceiveCount,
      int maxMessageBytes,
      String batchResultsQueueUrl,
      String batchResultsQueueName) {

    /** SQS's classic limit for one message, and for one SendMessageBatch (AWS raised both to 1 MiB in 2025). */
    public static final int CLASSIC_MAX_MESSAGE_BYTES = 262_144;

    public boolean embedded() {
      return endpoint.isEmpty() && queueUrl.isEmpty();
    }

    /** Embedded SQS on the given port, whatever endpoint or queue URLs were configured. */
    public Sqs embeddedOn(int port) {
      return new Sqs("", region, "", "", "", queueName, resultsQueueName, dlqName, waitTimeSeconds,
          visibilityTimeoutSeconds, maxConnections, embeddedHost, port, maxReceiveCount, maxMessageBytes, "",
          batchResultsQueueName);
    }

    public Sqs withEndpoint(String newEndpoint) {
      return new Sqs(newEndpoint, region, queueUrl, resultsQueueUrl, dlqUrl, queueName, resultsQueueName,
          dlqName, waitTimeSeconds, visibilityTimeoutSeconds, maxConnections, embeddedHost, embeddedPort,
          maxReceiveCount, maxMessageBytes, batchResultsQueueUrl, batchResultsQueueName);
    }
  }

  /**
   * @param admissionHorizonMs       receive only what the rate budgets can start within this time
   * @param receiveVisibilitySeconds the visibility timeout a receive asks for; what a task still holds after half of
   *                                 it is extended to {@code sqs.visibilityTimeoutSeconds}. Short, so that what a
   *                                 long poll cut off by a stop brings is hidden only this long.
   */
  public record Poller(int maxConcurrentReceives, int receiveLingerMs, int flushIntervalMs, int maxBackingOffPercent,
      int admissionHorizonMs, int receiveVisibilitySeconds) {}

  public record Worker(int instances, int concurrency, int taskTimeoutSeconds) {
    public int capacity() {
      return instances * concurrency;
    }
  }

  public record Retry(
      int inProcessMaxAttempts, int rateLimitedMaxAttempts, int baseDelayMs, int maxDelayMs, int returnBaseSeconds, int returnMaxSeconds) {}

  /**
   * One LLM API. The API key itself is never stored here: only the name of the environment variable holding it
   * ("" = send no key). Bedrock signs with the AWS default credentials chain instead.
   *
   * @param modelMap      task model name to the name this provider wants (Azure: the deployment)
   * @param modelLimits   rpm/tpm per model, on top of the provider-wide {@code rpm}/{@code tpm} (0 = none)
   * @param fallbacks     names of providers to try, in order, when this one keeps failing or its circuit is open
   * @param contextTokens the context window by (provider-side) model name: prompt + max_tokens above it is refused
   */
  public record Provider(
      String name,
      String type,
      String baseUrl,
      String apiKeyEnv,
      String apiVersion,
      String region,
      String organization,
      String project,
      Map<String, String> headers,
      Map<String, String> modelMap,
      List<String> models,
      int requestTimeoutSeconds,
      int connectTimeoutSeconds,
      int maxConnections,
      Limit limit,
      Map<String, Limit> modelLimits,
      List<String> fallbacks,
      int circuitOpenSeconds,
      int maxResponseBytes,
      Map<String, Long> contextTokens) {

    public static final List<String> TYPES = List.of("openai", "azure", "anthropic", "bedrock");

    /** The same provider at another base URL with no API key (the built-in simulator, a local server). */
    public Provider local(String url) {
      return new Provider(name, type, url, "", apiVersion, region, organization, project, headers, modelMap, models,
          requestTimeoutSeconds, connectTimeoutSeconds, maxConnections, limit, modelLimits, fallbacks,
          circuitOpenSeconds, maxResponseBytes, contextTokens);
    }

    /** The model name this provider is asked for when a task names {@code taskModel}. */
    public String providerModel(String taskModel) {
      return modelMap.getOrDefault(taskModel, taskModel);
    }
  }

  /** Requests and tokens per minute; 0 means no limit of that kind. */
  public record Limit(long rpm, long tpm) {
    public static final Limit NONE = new Limit(0, 0);

    public boolean any() {
      return rpm > 0 || tpm > 0;
    }
  }

  /** US dollars per million tokens. */
  public record Price(double input, double output) {
    public double cost(long promptTokens, long completionTokens) {
      return (promptTokens * input + completionTokens * output) / 1_000_000.0;
    }
  }

  /**
   * @param keepRaw      keep the provider's own body under {@code llmw.raw}
   * @param oversizeFile where a node appends the full result line of a result too large for one SQS message
   */
  public record Results(boolean keepRaw, String oversizeFile) {}

  /**
   * @param token           guards everything that shows task content and every control action ("" = none)
   * @param allowOpen       serve without a token on an address other than loopback (refused otherwise)
   * @param allowedHosts    more {@code Host} names accepted on a loopback bind (a reverse proxy's name)
   * @param maxEventStreams live dashboard connections ({@code /api/events}) served at once
   */
  public record Monitor(String host, int port, String token, boolean allowOpen, List<String> allowedHosts,
      int maxEventStreams) {
    /** A token anyone could guess is no protection: 16 characters at least (openssl rand -hex 16 gives 32). */
    public static final int MIN_TOKEN_LENGTH = 16;

    public Monitor(String host, int port, String token) {
      this(host, port, token, false, List.of(), 20);
    }

    public Monitor withPort(int value) {
      return new Monitor(host, value, token, allowOpen, allowedHosts, maxEventStreams);
    }

    public Monitor withToken(String value) {
      return new Monitor(host, port, value, allowOpen, allowedHosts, maxEventStreams);
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

  /**
   * Clustering (Hazelcast). {@code members} empty = the file's member list; {@code eventBusPort} 0 = any free
   * port; {@code publicHost} empty = {@code host} (set it behind NAT / in containers: the address others reach).
   */
  public record Cluster(boolean enabled, String name, String configFile, String host, int port,
      List<String> members, int eventBusPort, String publicHost, Tls tls) {
    public Cluster enable() {
      return new Cluster(true, name, configFile, host, port, members, eventBusPort, publicHost, tls);
    }
  }

  /**
   * Mutual TLS on the clustered event bus: this node's key and certificate (PEM {@code keyFile} + {@code certFile},
   * or a PKCS#12 {@code keyStore} whose password is in the environment variable {@code keyStorePasswordEnv}), and
   * the CA that signs every node's certificate ({@code caFile}). All empty = off. The files are read and checked by
   * {@link ClusterTls} when the node joins.
   */
  public record Tls(String keyFile, String certFile, String caFile, String keyStore, String keyStorePasswordEnv) {
    public static final Tls OFF = new Tls("", "", "", "", "");

    public boolean enabled() {
      return !(keyFile + certFile + caFile + keyStore + keyStorePasswordEnv).isEmpty();
    }

    public boolean keyStoreForm() {
      return !keyStore.isEmpty();
    }
  }

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
        r.integer("sqs.maxReceiveCount", 1, 1000),
        r.integer("sqs.maxMessageBytes", 1024, 1_048_576),
        r.url("sqs.batchResultsQueueUrl", true),
        r.nonEmpty("sqs.batchResultsQueueName"));
    Poller poller = new Poller(
        r.integer("poller.maxConcurrentReceives", 1, 100),
        r.integer("poller.receiveLingerMs", 0, 10_000),
        r.integer("poller.flushIntervalMs", 1, 10_000),
        r.integer("poller.maxBackingOffPercent", 0, 100),
        r.integer("poller.admissionHorizonMs", 100, 60_000),
        r.integer("poller.receiveVisibilitySeconds", 2, 43_200));
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
    List<Provider> providers = ProviderConfigs.parse(tree);
    Map<String, Price> prices = ProviderConfigs.prices(r);
    Results results = new Results(r.bool("results.keepRaw"), r.nonEmpty("results.oversizeFile"));
    Monitor monitor = new Monitor(
        r.nonEmpty("monitor.host"), r.integer("monitor.port", 0, 65_535),
        r.token("monitor.token", Monitor.MIN_TOKEN_LENGTH), r.bool("monitor.allowOpen"),
        r.strings("monitor.allowedHosts"), r.integer("monitor.maxEventStreams", 1, 10_000));
    Shutdown shutdown = new Shutdown(r.integer("shutdown.graceSeconds", 0, 3600));
    Cluster cluster = new Cluster(
        r.bool("cluster.enabled"),
        r.nonEmpty("cluster.name"),
        r.string("cluster.configFile"),
        r.nonEmpty("cluster.host"),
        r.integer("cluster.port", 1, 65_535),
        r.hostPorts("cluster.members"),
        r.integer("cluster.eventBusPort", 0, 65_535),
        r.string("cluster.publicHost"),
        tls(r));
    Api api = new Api(r.tokens("api.tokens", Monitor.MIN_TOKEN_LENGTH), r.integer("api.maxUploadBytes", 1024,
        2_000_000_000), r.integer("api.maxBatchLines", 1, 10_000_000),
        r.integer("api.completionWindowSeconds", 1, 30 * 86_400), new Store(r.url("store.endpoint", true), r.string("store.bucket"), r.string("store.prefix"),
        r.string("store.region").isEmpty() ? sqs.region() : r.string("store.region"),
        r.nonEmpty("store.embedded.host"), r.integer("store.embedded.port", 0, 65_535),
        r.nonEmpty("store.embedded.dir")));
    return coherent(new LlmwConfig(sqs, poller, worker, retry, providers, prices, results, monitor, shutdown,
        cluster, api));
  }

  /**
   * {@code cluster.tls}: off when every key is empty; otherwise the CA and exactly one of the two forms of this
   * node's key and certificate, complete.
   */
  private static Tls tls(ConfigReader r) {
    Tls tls = new Tls(r.string("cluster.tls.keyFile"), r.string("cluster.tls.certFile"),
        r.string("cluster.tls.caFile"), r.string("cluster.tls.keyStore"),
        r.string("cluster.tls.keyStorePasswordEnv"));
    if (!tls.enabled()) {
      return Tls.OFF;
    }
    String pem = "PEM files: keyFile and certFile";
    String p12 = "a PKCS#12 keyStore with keyStorePasswordEnv";
    boolean anyPem = !tls.keyFile().isEmpty() || !tls.certFile().isEmpty();
    boolean anyP12 = !tls.keyStore().isEmpty() || !tls.keyStorePasswordEnv().isEmpty();
    if (anyPem && anyP12) {
      throw new ConfigException("cluster.tls: expected this node's key and certificate in one form, either " + pem
          + ", or " + p12 + "; got both (keyFile/certFile and keyStore/keyStorePasswordEnv)");
    }
    if (tls.caFile().isEmpty()) {
      throw new ConfigException("cluster.tls.caFile", "the PEM file of the CA that signs every node's certificate "
          + "(TLS is on because other cluster.tls keys are set)", "");
    }
    if (!anyPem && !anyP12) {
      throw new ConfigException("cluster.tls: caFile alone is not enough: expected this node's key and certificate "
          + "too, as " + pem + ", or " + p12);
    }
    requireAlongside(tls.keyFile(), "cluster.tls.keyFile", "the PEM file of this node's private key", anyPem);
    requireAlongside(tls.certFile(), "cluster.tls.certFile", "the PEM file of this node's certificate", anyPem);
    requireAlongside(tls.keyStore(), "cluster.tls.keyStore", "the PKCS#12 file of this node's key and certificate",
        anyP12);
    requireAlongside(tls.keyStorePasswordEnv(), "cluster.tls.keyStorePasswordEnv",
        "the name of the environment variable holding the key store's password", anyP12);
    return tls;
  }

  private static void requireAlongside(String value, String key, String expected, boolean formChosen) {
    if (formChosen && value.isEmpty()) {
      throw new ConfigException(key, expected + " (the other keys of its form are set)", value);
    }
  }

  /** The longest one provider call may take: the largest {@code requestTimeoutSeconds} of any provider. */
  public int longestRequestSeconds() {
    return providers.stream().mapToInt(Provider::requestTimeoutSeconds).max().orElse(0);
  }

  /**
   * How long a poller waits for a worker's answer before it gives the task back anyway: the worker's own deadline
   * plus one call that started just before it, plus 30 s. The worker answers long before, unless it hangs.
   */
  public long workerBackstopMs() {
    return (worker.taskTimeoutSeconds() + longestRequestSeconds() + 30L) * 1000L;
  }

  /** Settings that cannot work together stop the start, naming the keys. */
  private static LlmwConfig coherent(LlmwConfig c) {
    for (int i = 0; i < c.providers().size(); i++) {
      Provider p = c.providers().get(i);
      if (p.requestTimeoutSeconds() > c.worker().taskTimeoutSeconds()) {
        String key = ProviderConfigs.where(i) + "requestTimeoutSeconds";
        throw new ConfigException("worker.taskTimeoutSeconds (" + c.worker().taskTimeoutSeconds() + ") is shorter than "
            + key + " (" + p.requestTimeoutSeconds() + ") of provider " + p.name() + ": one call could outlast the "
            + "task's deadline; raise worker.taskTimeoutSeconds or lower " + key);
      }
    }
    return c;
  }
}
