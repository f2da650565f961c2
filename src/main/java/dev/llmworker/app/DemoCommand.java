package dev.llmworker.app;

import dev.llmworker.monitor.NodeStats;
import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.sqs.BulkSender;
import dev.llmworker.task.SampleTasks;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Embedded SQS + the built-in LLM simulator + a feeder of sample tasks: see llm-worker work "
        + "with no account or key. Prints the dashboard URL.")
final class DemoCommand implements Callable<Integer> {
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
        .withMonitor(demoMonitor(base.monitor()));
    Node node = Node.start(vertx, cfg, EnumSet.allOf(Role.class), registry).await();
    System.out.println("llm-worker demo");
    System.out.println("  LLM simulator: " + sim.baseUrl() + " (" + latencyMs + " ms latency, error rate "
        + errorRate + ")");
    node.describe().forEach(line -> System.out.println("  " + line));
    System.out.println();
    System.out.println("  Open the dashboard: " + node.monitorUrl());
    if (base.monitor().token().isEmpty()) {
      System.out.println("  Control token for this demo (pause, scale, redrive): " + cfg.monitor().token());
    }
    System.out.println("  Stop with Ctrl-C.");
    startFeeder(vertx, node);
    vertx.setPeriodic(5000, id -> progress(node.stats()));
    return RunningNode.runUntilTerminated(vertx,
        () -> node.stop().eventually(sim::close), node::hurry, cfg.shutdown().graceSeconds(), System.out);
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
        sender.send(next[0], 20, n -> SampleTasks.body("demo-", n));
        next[0] += 20;
        return null;
      }));
      return;
    }
    vertx.executeBlocking(() -> {
      sender.send(0, tasks, n -> SampleTasks.body("demo-", n));
      return null;
    }).onSuccess(v -> System.out.println("demo: enqueued " + tasks + " tasks"))
        .onFailure(e -> System.out.println("demo: enqueueing failed: " + e.getMessage()));
  }

  /** A progress line every few seconds while something changes, and one line when all sample tasks are done. */
  private void progress(NodeStats stats) {
    var s = stats.snapshot();
    String line = String.format("demo: %d received, %d succeeded, %d dead-lettered, %d returned, %d in flight",
        s.getLong("received"), s.getLong("succeeded"), s.getLong("dead_lettered"), s.getLong("returned"),
        s.getLong("in_flight"));
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
