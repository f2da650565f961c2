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

  @Override
  public Integer call() {
    PrometheusMeterRegistry registry = Vertxes.registry();
    Vertx vertx = Vertxes.create(registry);
    try {
      LlmwConfig cfg = config.load(vertx);
      Node node = Node.start(vertx, cfg, Role.parse(roles), registry).await();
      System.out.println("llm-worker running");
      node.describe().forEach(line -> System.out.println("  " + line));
      return RunningNode.runUntilTerminated(vertx, node::stop, node::hurry, cfg.shutdown().graceSeconds(),
          System.out);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }
}
