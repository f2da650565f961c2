package dev.llmworker.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Start the node's roles from the configuration (the default command). With no SQS endpoint "
        + "or queue configured, starts an embedded SQS server on 127.0.0.1:9324 with the queues llm-tasks, "
        + "llm-results and llm-tasks-dlq.")
final class RunCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Option(names = "--roles", paramLabel = "LIST", defaultValue = "poller,worker,monitor",
      description = "Comma-separated subset of poller,worker,monitor (default: ${DEFAULT-VALUE}).")
  String roles;

  @Option(names = "--cluster", description = "Join the llm-worker cluster (Hazelcast, cluster/cluster.xml): the "
      + "same as cluster.enabled=true.")
  boolean cluster;

  @Override
  public Integer call() {
    LlmwConfig cfg = loadConfig();
    PrometheusMeterRegistry registry = Vertxes.registry();
    Vertx vertx = cfg.cluster().enabled()
        ? Vertxes.createClustered(registry, cfg.cluster()).await()
        : Vertxes.create(registry);
    try {
      Node node = Node.start(vertx, cfg, Role.parse(roles), registry).await();
      System.out.println("llm-worker running");
      node.describe().forEach(line -> System.out.println("  " + line));
      return RunningNode.runUntilTerminated(vertx, node::stop, node::settled, node::hurry,
          cfg.shutdown().graceSeconds(), System.out);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /** Config is read before the node's Vert.x exists: whether that one is clustered depends on it. */
  private LlmwConfig loadConfig() {
    Vertx reader = Vertx.vertx();
    try {
      LlmwConfig cfg = config.load(reader);
      return cluster ? cfg.withCluster(cfg.cluster().enable()) : cfg;
    } finally {
      reader.close();
    }
  }
}
