package dev.llmworker.bench;

import dev.llmworker.app.ConfigLoader;
import dev.llmworker.app.LlmwConfig;
import dev.llmworker.app.Node;
import dev.llmworker.app.Role;
import dev.llmworker.app.Vertxes;
import dev.llmworker.monitor.NodeStats;
import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.sqs.BulkSender;
import dev.llmworker.sqs.EmbeddedSqs;
import dev.llmworker.sqs.QueueSetup;
import dev.llmworker.sqs.QueueUrls;
import dev.llmworker.sqs.SqsClients;
import dev.llmworker.task.Endpoint;
import dev.llmworker.task.SampleTasks;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Pre-enqueues N tasks into an embedded SQS, processes them against the simulator at latency L with C
 * tasks in flight, then reads every result back to count lost and duplicated tasks.
 */
public final class BenchRunner {
  private static final String PREFIX = "bench-";

  /** {@code warmup} tasks are processed first and not measured (JIT compilation, connection pools). */
  public record Options(int tasks, int latencyMs, int concurrency, int instances, int warmup, int rpm, int tpm,
      int workerNodes, Endpoint endpoint) {
    int total() {
      return tasks + warmup;
    }

    /** Under a rate limit a long warm-up only costs time: at most 10 s of the limit. */
    Options limitedWarmup() {
      if (rpm == 0 && tpm == 0) {
        return this;
      }
      double perSecond = Math.min(rpm > 0 ? rpm / 60.0 : Double.MAX_VALUE,
          tpm > 0 ? tpm / 60.0 / SampleTasks.BUDGET_TOKENS : Double.MAX_VALUE);
      return new Options(tasks, latencyMs, concurrency, instances, (int) Math.min(warmup, perSecond * 10), rpm, tpm,
          workerNodes, endpoint);
    }

    /** Worker slots per instance: C split evenly over the nodes running workers and their instances. */
    int perInstance() {
      return Math.max(1, concurrency / Math.max(1, workerNodes) / instances);
    }
  }

  private final Options options;
  private final PrintStream progress;

  public BenchRunner(Options options, PrintStream progress) {
    this.options = options.limitedWarmup();
    this.progress = progress;
  }

  public BenchReport run() throws Exception {
    PrometheusMeterRegistry registry = Vertxes.registry();
    WorkerNodes workerNodes = options.workerNodes() == 0 ? null : new WorkerNodes(options.workerNodes());
    Vertx vertx = workerNodes == null ? Vertxes.create(registry)
        : Vertxes.createClustered(registry, workerNodes.benchNode(ConfigLoader.defaults())).await();
    try (EmbeddedSqs server = EmbeddedSqs.start("127.0.0.1", 0); WorkerNodes nodes = workerNodes) {
      LlmSimulator sim = LlmSimulator.start(vertx, SimulatorOptions.defaults().withLatencyMs(options.latencyMs())
          .withRpm(options.rpm()).withTpm(options.tpm()).withPort(0)).await();
      LlmwConfig config = config(server.endpoint(), sim.baseUrl());
      if (nodes != null) {
        nodes.start(workerEnv(server.endpoint(), sim.baseUrl()), progress);
      }
      try (SqsClients setup = new SqsClients(config.sqs(), 2)) {
        QueueUrls queues = new QueueSetup(setup.operations(), config.sqs()).create().await();
        enqueue(setup, queues);
        BenchReport report = process(vertx, registry, config, sim, setup, queues, nodes);
        sim.close().await();
        return report;
      }
    } finally {
      vertx.close().await();
    }
  }

  private LlmwConfig config(String endpoint, String providerUrl) {
    JsonObject overrides = new JsonObject()
        .put("sqs", new JsonObject().put("endpoint", endpoint).put("visibilityTimeoutSeconds", 120))
        .put("worker", new JsonObject().put("instances", options.instances()).put("concurrency",
            options.perInstance()))
        .put("provider", new JsonObject().put("baseUrl", providerUrl).put("apiKeyEnv", "none")
            .put("rpm", options.rpm()).put("tpm", options.tpm()));
    return LlmwConfig.parse(ConfigLoader.defaults().mergeIn(overrides, true));
  }

  /** The same settings for the worker-only processes, as environment variables. */
  private Map<String, String> workerEnv(String endpoint, String providerUrl) {
    return Map.of("LLMW_SQS_ENDPOINT", endpoint, "LLMW_SQS_VISIBILITY_TIMEOUT_SECONDS", "120",
        "LLMW_WORKER_INSTANCES", String.valueOf(options.instances()),
        "LLMW_WORKER_CONCURRENCY", String.valueOf(options.perInstance()),
        "LLMW_PROVIDER_BASE_URL", providerUrl, "LLMW_PROVIDER_API_KEY_ENV", "none",
        "LLMW_PROVIDER_RPM", String.valueOf(options.rpm()), "LLMW_PROVIDER_TPM", String.valueOf(options.tpm()),
        "LLMW_MONITOR_PORT", "0");
  }

  private void enqueue(SqsClients setup, QueueUrls queues) throws InterruptedException {
    long start = System.nanoTime();
    Endpoint endpoint = options.endpoint();
    new BulkSender(setup.operations(), queues.tasks()).send(0, options.total(), n -> endpoint == Endpoint.CHAT
        ? SampleTasks.body(PREFIX, n) : SampleTasks.body(PREFIX, n, endpoint));
    progress.printf("bench: enqueued %d %s tasks (%d of them warm-up) in %.1f s%n", options.total(), endpoint.label,
        options.warmup(), (System.nanoTime() - start) / 1e9);
  }

  private BenchReport process(Vertx vertx, PrometheusMeterRegistry registry, LlmwConfig config, LlmSimulator sim,
      SqsClients setup, QueueUrls queues, WorkerNodes workerNodes) {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Node node = Node.start(vertx, config, workerNodes == null ? EnumSet.of(Role.POLLER, Role.WORKER)
        : EnumSet.of(Role.POLLER), registry).await();
    NodeStats stats = node.stats();
    if (workerNodes != null) {
      awaitCapacity(stats, workerNodes);
    }
    awaitSettled(stats, options.warmup());
    long cpuStart = os.getProcessCpuTime();
    ThreadCpu threadCpu = new ThreadCpu();
    Map<String, Long> callsBefore = node.sqs().counter().byOperation();
    Histogram overheadBefore = stats.overheadHistogram();
    long deadBefore = stats.deadLettered.sum();
    long rateLimitedBefore = sim.stats().statusCount(429);
    long start = System.nanoTime();
    awaitSettled(stats, options.total());
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuMs = (os.getProcessCpuTime() - cpuStart) / 1e6;
    Map<String, Double> cpuByThread = new java.util.TreeMap<>();
    threadCpu.sinceStartMs().forEach((group, ms) -> cpuByThread.put(group, ms / options.tasks()));
    Map<String, Long> byOperation = new java.util.TreeMap<>();
    node.sqs().counter().byOperation().forEach((op, n) -> {
      long delta = n - callsBefore.getOrDefault(op, 0L);
      if (delta > 0) {
        byOperation.put(op, delta);
      }
    });
    long sqsCalls = byOperation.values().stream().mapToLong(Long::longValue).sum();
    Histogram overhead = stats.overheadHistogram();
    overhead.subtract(overheadBefore);
    long deadLettered = stats.deadLettered.sum() - deadBefore;
    node.stop().await();
    Map<String, Integer> results = readResults(setup, queues);
    long lines = results.values().stream().mapToLong(Integer::longValue).sum();
    long lost = options.total() - results.size();
    return new BenchReport(options.tasks(), options.warmup(), options.latencyMs(), options.concurrency(),
        options.instances(), options.workerNodes(), seconds,
        sqsCalls, byOperation, overhead.getValueAtPercentile(50), overhead.getValueAtPercentile(99), lost,
        lines - results.size(), sim.stats().duplicateIds(), cpuMs / options.tasks(), peakRssMb(),
        sim.stats().maxConcurrent(), deadLettered, cpuByThread, options.rpm(), options.tpm(),
        sim.stats().statusCount(429) - rateLimitedBefore, budgetTokensPerTask(sim), options.endpoint().label);
  }

  /** What a sample task really counted against tpm at the simulator: its prompt tokens plus max_tokens. */
  private long budgetTokensPerTask(LlmSimulator sim) {
    long ok = Math.max(1, sim.stats().okCount());
    boolean outputs = options.endpoint() != Endpoint.EMBEDDINGS && options.endpoint() != Endpoint.MODERATIONS;
    return Math.round((double) sim.stats().promptTokens() / ok) + (outputs ? SampleTasks.MAX_TOKENS : 0);
  }

  private void awaitSettled(NodeStats stats, int count) {
    long lastReport = System.nanoTime();
    long deadline = System.nanoTime() + Math.max(300_000L,
        (long) options.total() * options.latencyMs() / options.concurrency() * 20) * 1_000_000L;
    while (stats.succeeded.sum() + stats.deadLettered.sum() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("bench: " + count + " tasks not done before the deadline: "
            + stats.snapshot().encode());
      }
      if (System.nanoTime() - lastReport > 5_000_000_000L) {
        lastReport = System.nanoTime();
        progress.printf("bench: %d / %d done, %d in flight%n", stats.succeeded.sum() + stats.deadLettered.sum(),
            options.total(), stats.inFlight.get());
      }
      LockSupport.parkNanos(5_000_000);
    }
  }

  /** Until every worker node has joined and announced its slots (the tasks wait in SQS meanwhile). */
  private void awaitCapacity(NodeStats stats, WorkerNodes workerNodes) {
    int wanted = options.perInstance() * options.instances() * options.workerNodes();
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (stats.capacity.get() < wanted) {
      workerNodes.checkAlive();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("bench: the worker nodes did not join within 120 s (capacity "
            + stats.capacity + " of " + wanted + "); " + workerNodes);
      }
      LockSupport.parkNanos(50_000_000);
    }
    progress.printf("bench: %d worker nodes joined, %d worker slots%n", options.workerNodes(), wanted);
  }

  /** custom_id → number of result lines, draining the results queue. */
  private Map<String, Integer> readResults(SqsClients setup, QueueUrls queues) {
    Map<String, Integer> counts = new HashMap<>();
    int empty = 0;
    while (empty < 3) {
      var messages = setup.operations().receiveMessage(b -> b.queueUrl(queues.results()).maxNumberOfMessages(10)
          .waitTimeSeconds(0).visibilityTimeout(300)).join().messages();
      if (messages.isEmpty()) {
        empty++;
        continue;
      }
      empty = 0;
      for (Message m : messages) {
        counts.merge(new JsonObject(m.body()).getString("custom_id"), 1, Integer::sum);
      }
      setup.operations().deleteMessageBatch(b -> b.queueUrl(queues.results()).entries(messages.stream()
          .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle())
              .build()).toList())).join();
    }
    return counts;
  }

  private static long peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (Exception ignored) {
      // not Linux: no figure
    }
    return -1;
  }
}
