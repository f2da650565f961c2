package dev.llmworker.app;

import dev.llmworker.monitor.NodeStats;
import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.sqs.BulkSender;
import dev.llmworker.sqs.QueueDepth;
import dev.llmworker.task.SampleTasks;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Embedded SQS + the built-in LLM simulator + a feeder of sample tasks: see llm-worker work "
        + "with no account or key. Prints the dashboard URL.")
final class DemoCommand implements Callable<Integer> {
  /**
   * USD per million tokens for the demo's models (OpenAI's list prices when this was written), so a newcomer sees
   * what a run would cost; used when no {@code prices} are configured.
   */
  static final Map<String, LlmwConfig.Price> DEMO_PRICES = Map.of(
      "gpt-4o-mini", new LlmwConfig.Price(0.15, 0.60),
      "gpt-4.1-mini", new LlmwConfig.Price(0.40, 1.60),
      "text-embedding-3-small", new LlmwConfig.Price(0.02, 0),
      "gpt-3.5-turbo-instruct", new LlmwConfig.Price(1.50, 2.00),
      "omni-moderation-latest", new LlmwConfig.Price(0, 0));

  @Mixin
  ConfigOption config;

  @Option(names = "--tasks", paramLabel = "N", defaultValue = "2000",
      description = "Sample tasks to enqueue (default ${DEFAULT-VALUE}; 0 = an endless trickle).")
  int tasks;

  @Option(names = "--latency-ms", paramLabel = "L", defaultValue = "400",
      description = "Simulated LLM latency (default ${DEFAULT-VALUE}).")
  int latencyMs;

  @Option(names = "--error-rate", paramLabel = "E", defaultValue = "0.02",
      description = "Share of simulated LLM calls that fail with 5xx or time out (default ${DEFAULT-VALUE}).")
  double errorRate;

  private String lastProgress = "";
  /** Sample tasks the feeder has put on the tasks queue. */
  private final AtomicLong fed = new AtomicLong();
  /** The final count of a stop has been printed. */
  private final Promise<Void> accounted = Promise.promise();

  @Override
  public Integer call() throws Exception {
    if (tasks < 0) {
      throw new ConfigException("--tasks", "0 or more", tasks);
    }
    PrometheusMeterRegistry registry = Vertxes.registry();
    Vertx vertx = Vertxes.create(registry);
    LlmwConfig base = config.load(vertx);
    LlmSimulator sim = LlmSimulator.start(vertx, SimulatorOptions.defaults().withLatencyMs(latencyMs)
        .withJitterMs(latencyMs / 2).withErrorRate(errorRate).withHangMs(5_000)).await();
    LlmwConfig cfg = base
        .withSqs(base.sqs().embeddedOn(Ports.preferred(base.sqs().embeddedHost(), base.sqs().embeddedPort())))
        .withProvider(base.provider().local(sim.baseUrl()))
        .withMonitor(demoMonitor(base.monitor()))
        .withPrices(base.prices().isEmpty() ? DEMO_PRICES : base.prices());
    Node node = Node.start(vertx, cfg, EnumSet.allOf(Role.class), registry).await();
    System.out.println("llm-worker demo");
    System.out.println("  LLM simulator: " + sim.baseUrl() + " (" + latencyMs + " ms latency, error rate "
        + errorRate + ")");
    node.describe().forEach(line -> System.out.println("  " + line));
    System.out.println();
    if (base.monitor().token().isEmpty()) {
      // the link carries the made-up token in its fragment, which the browser keeps to itself and the page reads
      System.out.println("  Open the dashboard: " + node.monitorUrl() + "#token=" + cfg.monitor().token());
      System.out.println("  Token for this demo (the API, pause, scale, redrive): " + cfg.monitor().token());
    } else {
      System.out.println("  Open the dashboard: " + node.monitorUrl() + " (it asks for monitor.token)");
    }
    System.out.println("  Stop with Ctrl-C.");
    startFeeder(vertx, node);
    vertx.setPeriodic(5000, id -> progress(node.stats()));
    return RunningNode.runUntilTerminated(vertx,
        () -> node.stopRoles().compose(v -> account(node)).eventually(node::close).eventually(sim::close),
        () -> node.settled().compose(v -> accounted.future()), node::hurry, cfg.shutdown().graceSeconds(), System.out);
  }

  /**
   * The dashboard on the preferred port (or a free one), with its controls on: without a configured token the demo
   * makes up a random one and prints it, since the demo is there to be tried.
   */
  private static LlmwConfig.Monitor demoMonitor(LlmwConfig.Monitor monitor) {
    LlmwConfig.Monitor m = monitor.withPort(Ports.preferred(monitor.host(), monitor.port()));
    if (m.token().isEmpty()) {
      byte[] random = new byte[12];
      new java.security.SecureRandom().nextBytes(random);
      m = m.withToken(java.util.HexFormat.of().formatHex(random));
    }
    return m;
  }

  private void startFeeder(Vertx vertx, Node node) {
    BulkSender sender = new BulkSender(node.sqs().operations(), node.queues().tasks());
    if (tasks == 0) {
      int[] next = {0};
      vertx.setPeriodic(1000, id -> vertx.executeBlocking(() -> {
        sender.send(next[0], 20, n -> SampleTasks.mixed("demo-", n));
        next[0] += 20;
        fed.addAndGet(20);
        return null;
      }));
      return;
    }
    vertx.executeBlocking(() -> {
      sender.send(0, tasks, n -> SampleTasks.mixed("demo-", n));
      fed.addAndGet(tasks);
      return null;
    }).onSuccess(v -> System.out.println("demo: enqueued " + tasks + " tasks"))
        .onFailure(e -> System.out.println("demo: enqueueing failed: " + e.getMessage()));
  }

  /**
   * After the roles stopped, before the embedded SQS goes: every task fed is a result line or still in the tasks
   * queue (a dead-lettered task has an error result line too), so a stop lost nothing when the two add up.
   */
  private Future<Void> account(Node node) {
    var sqs = node.sqs().operations();
    Future<QueueDepth> results = Future.fromCompletionStage(QueueDepth.fetch(sqs, node.queues().results()));
    Future<QueueDepth> left = Future.fromCompletionStage(QueueDepth.fetch(sqs, node.queues().tasks()));
    Future<QueueDepth> dead = Future.fromCompletionStage(QueueDepth.fetch(sqs, node.queues().dlq()));
    return Future.all(results, left, dead).onSuccess(all -> {
      long lost = fed.get() - results.result().total() - left.result().total();
      System.out.printf("demo: %d tasks fed; %d result lines (%d of them dead-lettered), %d still in the tasks "
          + "queue: %s%n", fed.get(), results.result().total(), dead.result().total(), left.result().total(),
          lost <= 0 ? "none lost" : lost + " LOST");
    }).onFailure(e -> System.out.println("demo: could not count the queues: " + e.getMessage())).<Void>mapEmpty()
        .recover(e -> Future.succeededFuture()).onComplete(ar -> accounted.tryComplete());
  }

  /** A progress line every few seconds while something changes, and one line when all sample tasks are done. */
  private void progress(NodeStats stats) {
    var s = stats.snapshot();
    String line = String.format("demo: %d received, %d succeeded, %d dead-lettered, %d returned, %d requeued, "
        + "%d in flight",
        s.getLong("received"), s.getLong("succeeded"), s.getLong("dead_lettered"), s.getLong("returned"),
        s.getLong("requeued"), s.getLong("in_flight"));
    if (line.equals(lastProgress)) {
      return;
    }
    lastProgress = line;
    System.out.printf("%s, %.1f tasks/s%n", line, s.getDouble("throughput"));
    if (tasks > 0 && s.getLong("succeeded") + s.getLong("dead_lettered") >= tasks) {
      System.out.printf("demo: all %d tasks done; results are in the llm-results queue. Ctrl-C to stop.%n", tasks);
    }
  }

}
