package dev.llmworker.app;

import dev.llmworker.batch.BatchVerticle;
import dev.llmworker.limits.BudgetShareVerticle;
import dev.llmworker.monitor.MonitorVerticle;
import dev.llmworker.monitor.NodeMetrics;
import dev.llmworker.monitor.NodeStats;
import dev.llmworker.bus.BusCodecs;
import dev.llmworker.bus.ShutdownPhase;
import dev.llmworker.poller.PollerVerticle;
import dev.llmworker.sqs.EmbeddedSqs;
import dev.llmworker.store.EmbeddedS3;
import dev.llmworker.store.ObjectStore;
import java.nio.file.Path;
import dev.llmworker.sqs.MessageLimits;
import dev.llmworker.sqs.QueueSetup;
import dev.llmworker.sqs.QueueUrls;
import dev.llmworker.sqs.SqsClients;
import dev.llmworker.task.Addresses;
import dev.llmworker.worker.NodeLlm;
import dev.llmworker.worker.WorkerPool;
import dev.llmworker.worker.WorkerVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One llm-worker node: its SQS clients (and the embedded SQS server when none is configured), its queues,
 * and the verticles of its roles. Stops in the order that loses nothing: poller, workers, monitor.
 */
public final class Node {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final Vertx vertx;
  private final LlmwConfig config;
  private final Set<Role> roles;
  private final NodeStats stats;
  private final PrometheusMeterRegistry registry;
  private final NodeMetrics metrics;
  private EmbeddedSqs embedded;
  private EmbeddedS3 embeddedStore;
  private ObjectStore store;
  private SqsClients sqs;
  private QueueUrls queues;
  private String pollerId;
  private PollerVerticle poller;
  /** Set by a stop: every task finished or given back, every batch flushed. */
  private Future<Void> settled;
  private WorkerPool workers;
  private String sharesId;
  private String monitorId;
  private MonitorVerticle monitor;
  private BatchVerticle batches;
  private String batchesId;
  private long publisher = -1;
  private volatile boolean deployed;

  private Node(Vertx vertx, LlmwConfig config, Set<Role> roles, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.roles = roles;
    this.registry = registry;
    String runtime = ManagementFactory.getRuntimeMXBean().getName(); // "pid@host"
    String id = runtime + "-" + UUID.randomUUID().toString().substring(0, 4);
    String host = runtime.substring(runtime.indexOf('@') + 1);
    this.stats = new NodeStats(id, host, roles.stream().map(Role::label).toList());
    this.metrics = NodeMetrics.bind(registry, stats);
  }

  /** A node whose {@code /metrics} shows llm-worker's own meters only (no Vert.x or JVM metrics). */
  public static Future<Node> start(Vertx vertx, LlmwConfig config, Set<Role> roles) {
    return start(vertx, config, roles, Vertxes.registry());
  }

  /** {@code registry}: the one {@code vertx} reports to (see {@link Vertxes#create}), shown on {@code /metrics}. */
  public static Future<Node> start(Vertx vertx, LlmwConfig config, Set<Role> roles,
      PrometheusMeterRegistry registry) {
    Node node = new Node(vertx, config, roles, registry);
    return node.startSqs()
        .compose(v -> node.deployWorkers())
        .compose(v -> node.deployPoller())
        .compose(v -> node.deployMonitor())
        .map(v -> node.started())
        .recover(e -> node.stop().transform(ignored -> Future.failedFuture(e)));
  }

  /** A worker-only node never talks to SQS (pollers send it the tasks and settle them): it needs no SQS at all. */
  private Future<Void> startSqs() {
    if (!roles.contains(Role.POLLER) && !roles.contains(Role.MONITOR)) {
      return Future.succeededFuture();
    }
    Future<LlmwConfig.Sqs> endpoint = config.sqs().embedded()
        ? vertx.executeBlocking(() -> EmbeddedSqs.start(config.sqs().embeddedHost(), config.sqs().embeddedPort()))
            .map(server -> {
              embedded = server;
              LOG.info("embedded SQS (ElasticMQ) listening on {}", server.endpoint());
              return config.sqs().withEndpoint(server.endpoint());
            })
        : Future.succeededFuture(config.sqs());
    return endpoint.compose(sqsConfig -> {
      sqs = new SqsClients(sqsConfig, config.poller().maxConcurrentReceives());
      stats.sqsCallSource(sqs.counter()::total);
      QueueSetup setup = new QueueSetup(sqs.operations(), sqsConfig);
      return embedded != null ? setup.create() : setup.resolve();
    }).onSuccess(urls -> queues = urls).mapEmpty();
  }

  /** A worker node keeps its pool even at 0 instances: it can be scaled up from the dashboard. */
  private Future<Void> deployWorkers() {
    if (!roles.contains(Role.WORKER)) {
      return Future.succeededFuture();
    }
    NodeLlm llm = NodeLlm.create(config, stats);
    workers = new WorkerPool(vertx, stats.nodeId(), () -> new WorkerVerticle(config, stats, llm));
    return vertx.deployVerticle(new BudgetShareVerticle(llm.budgets(), stats.nodeId()))
        .onSuccess(id -> sharesId = id)
        .compose(v -> workers.start(config.worker().instances()))
        .mapEmpty();
  }

  private Future<Void> deployPoller() {
    if (!roles.contains(Role.POLLER)) {
      return Future.succeededFuture();
    }
    return MessageLimits.read(sqs.operations(), queues, config.sqs().maxMessageBytes())
        .compose(limits -> {
          poller = new PollerVerticle(config, queues, limits, sqs, stats);
          return vertx.deployVerticle(poller);
        })
        .onSuccess(id -> pollerId = id).mapEmpty();
  }

  private Future<Void> deployMonitor() {
    if (!roles.contains(Role.MONITOR)) {
      return Future.succeededFuture();
    }
    return startStore().compose(v -> deployBatches()).compose(v -> {
      monitor = new MonitorVerticle(new MonitorVerticle.Wiring(config, queues, sqs, stats, () -> deployed, registry,
          roles.contains(Role.WORKER), store, batches == null ? null : batches.service()));
      return vertx.deployVerticle(monitor);
    }).onSuccess(id -> monitorId = id).mapEmpty();
  }

  /** With the Batch API on: the collector of batch results and the sweeper that moves batches on. */
  private Future<Void> deployBatches() {
    if (store == null) {
      return Future.succeededFuture();
    }
    batches = new BatchVerticle(new BatchVerticle.Wiring(config, store, sqs.operations(), queues, stats.nodeId(),
        registry));
    return vertx.deployVerticle(batches).onSuccess(id -> batchesId = id).mapEmpty();
  }

  /**
   * The Batch API's store, when the API is on ({@code api.tokens}): the configured bucket, or the embedded S3Proxy
   * over {@code store.embedded.dir}.
   */
  private Future<Void> startStore() {
    LlmwConfig.Store s = config.api().store();
    if (!config.api().enabled()) {
      return Future.succeededFuture();
    }
    Future<String> endpoint = s.embedded()
        ? vertx.executeBlocking(() -> EmbeddedS3.start(s.embeddedHost(), s.embeddedPort(), Path.of(s.embeddedDir())))
            .map(server -> {
              embeddedStore = server;
              LOG.info("embedded S3 store (S3Proxy) on {} over {}", server.endpoint(), s.embeddedDir());
              return server.endpoint();
            })
        : Future.succeededFuture(s.endpoint());
    return endpoint.compose(url -> {
      store = ObjectStore.open(url, s.region(), s.bucketName(), s.prefix(), vertx.getOrCreateContext());
      return store.ensureBucket(s.embedded());
    }).recover(e -> Future.failedFuture(s.embedded()
        ? new ConfigException("store.embedded.dir", "a directory the embedded store can use", s.embeddedDir() + " ("
            + e.getMessage() + ")")
        : new ConfigException("store.bucket", "a bucket llm-worker can use", s.bucketName() + " ("
            + e.getMessage() + ")")));
  }

  private Node started() {
    deployed = true;
    publisher = vertx.setPeriodic(1000, id -> {
      stats.tick();
      metrics.refresh();
      vertx.eventBus().publish(Addresses.STATS, stats.snapshot());
    });
    return this;
  }

  public NodeStats stats() {
    return stats;
  }

  public QueueUrls queues() {
    return queues;
  }

  public SqsClients sqs() {
    return sqs;
  }

  /** The SQS endpoint this node uses ("" = AWS's regional endpoint). */
  public String sqsEndpoint() {
    return embedded != null ? embedded.endpoint() : config.sqs().endpoint();
  }

  /** The dashboard URL, or null when this node has no monitor role. */
  public String monitorUrl() {
    return monitor == null ? null : "http://" + config.monitor().host() + ":" + monitor.port() + "/";
  }

  /**
   * Graceful stop: workers take no more tasks and hand back those not started; the poller lets running tasks
   * finish within {@code shutdown.graceSeconds} and gives the rest back to SQS; then everything closes.
   */
  public Future<Void> stop() {
    return stopRoles().eventually(this::close);
  }

  /** The graceful stop of every role, leaving the SQS clients (and the embedded SQS) open: {@link #close} them. */
  public Future<Void> stopRoles() {
    deployed = false;
    if (publisher >= 0) {
      vertx.cancelTimer(publisher);
    }
    shutdownPhase(ShutdownPhase.DRAIN);
    settled = Future.join(pollerId == null ? Future.succeededFuture() : poller.settled(),
        workers == null ? Future.succeededFuture() : workers.drained()).mapEmpty();
    return undeploy(pollerId)
        // the poller has settled or given back all it held: what a worker here still runs can only be given back
        // now. A node without a poller does not hurry: its workers get the whole grace period themselves
        .onComplete(ar -> hurryAfterPoller())
        .compose(v -> workers == null ? Future.succeededFuture() : workers.stop())
        .compose(v -> undeploy(sharesId))
        .compose(v -> undeploy(batchesId))
        .compose(v -> undeploy(monitorId))
        .mapEmpty();
  }

  /**
   * Completes, once a stop is under way, when no task is left to finish or give back and every batch went to SQS:
   * what the stop does after that (unregistering from the cluster, leaving it, closing clients) loses nothing if it is
   * cut short. Before a stop it never completes.
   */
  public Future<Void> settled() {
    return settled == null ? Promise.<Void>promise().future() : settled;
  }

  /** Closes the SQS clients and stops the embedded SQS (its queues are gone then), after {@link #stopRoles}. */
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      if (sqs != null) {
        sqs.close();
      }
      if (embedded != null) {
        embedded.close();
      }
      if (store != null) {
        store.close();
      }
      if (embeddedStore != null) {
        embeddedStore.close();
      }
      return null;
    });
  }

  private void hurryAfterPoller() {
    if (pollerId != null) {
      shutdownPhase(ShutdownPhase.HURRY);
    }
  }

  /** A second SIGTERM: stop waiting for running tasks, give them back to SQS now. */
  public void hurry() {
    shutdownPhase(ShutdownPhase.HURRY);
  }

  private void shutdownPhase(ShutdownPhase phase) {
    BusCodecs.ensure(vertx);
    vertx.eventBus().publish(Addresses.SHUTDOWN, phase,
        new DeliveryOptions().setLocalOnly(true));
  }

  private Future<Void> undeploy(String id) {
    return id == null ? Future.succeededFuture()
        : vertx.undeploy(id).recover(e -> {
          LOG.warn("undeploy failed", e);
          return Future.succeededFuture();
        });
  }

  List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add("node: " + stats.nodeId() + ", roles: " + String.join(",", stats.snapshot().getJsonArray("roles")
        .getList()));
    if (vertx.isClustered()) {
      LlmwConfig.Cluster c = config.cluster();
      lines.add("cluster: " + c.name() + " (Hazelcast on " + c.host() + ":" + c.port() + ", members "
          + (c.members().isEmpty() ? "from " + c.configFile() : c.members()) + ")");
      String open = ClusterTls.openWarning(c) == null ? " (loopback only)" : ", open to whoever reaches it";
      lines.add("event bus: " + (c.tls().enabled() ? "mutual TLS (cluster.tls)" : "no TLS" + open));
    }
    if (queues != null) {
      lines.add("SQS: " + (sqsEndpoint().isEmpty() ? "AWS (" + config.sqs().region() + ")" : sqsEndpoint())
          + (embedded != null ? " (embedded)" : ""));
      lines.add("tasks queue: " + queues.tasks());
      lines.add("results queue: " + queues.results());
      lines.add("dead-letter queue: " + queues.dlq());
      if (queues.batchResults() != null) {
        lines.add("batch results queue: " + queues.batchResults());
      }
    } else {
      lines.add("SQS: not used (a worker-only node gets its tasks from the cluster's pollers)");
    }
    if (roles.contains(Role.WORKER)) {
      lines.add("workers: " + config.worker().instances() + " x " + config.worker().concurrency()
          + " concurrent tasks");
      for (LlmwConfig.Provider p : config.providers()) {
        lines.add("provider " + p.name() + " (" + p.type() + ") at " + p.baseUrl() + ", " + ProviderKeys.describe(p)
            + (p.limit().any() ? ", budget " + p.limit().rpm() + " rpm / " + p.limit().tpm() + " tpm" : "")
            + (p.fallbacks().isEmpty() ? "" : ", falls back to " + p.fallbacks()));
      }
    }
    if (monitorUrl() != null) {
      lines.add("dashboard: " + monitorUrl());
      LlmwConfig.Store s = config.api().store();
      lines.add(!config.api().enabled() ? "Batch API: off (set api.tokens to serve /v1/files and /v1/batches)"
          : "Batch API: " + monitorUrl() + "v1 (files and batches in s3://" + s.bucketName() + "/" + s.prefix()
              + (s.embedded() ? " on the embedded store over " + s.embeddedDir() : s.endpoint().isEmpty() ? " on AWS"
              : " at " + s.endpoint()) + ")");
    }
    return lines;
  }
}
