package dev.llmworker.bench;

import dev.llmworker.app.ConfigException;
import dev.llmworker.task.Endpoint;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Pre-enqueue N tasks into an embedded SQS, process them against the LLM simulator with latency "
        + "L and in-flight cap C, and print a summary (with --json the last line is one JSON object).")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--tasks", paramLabel = "N", defaultValue = "5000", description = "Tasks (default ${DEFAULT-VALUE}).")
  int tasks;

  @Option(names = "--latency-ms", paramLabel = "L", defaultValue = "200",
      description = "Simulated LLM latency in ms (default ${DEFAULT-VALUE}).")
  int latencyMs;

  @Option(names = "--concurrency", paramLabel = "C", defaultValue = "100",
      description = "Tasks in flight at most: worker instances x concurrency (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--instances", paramLabel = "I", defaultValue = "1",
      description = "Worker verticle instances sharing C (default ${DEFAULT-VALUE}).")
  int instances;

  @Option(names = "--worker-nodes", paramLabel = "K", defaultValue = "0",
      description = "Run the workers in K separate worker-only JVMs started from this jar, clustered with the "
          + "bench's poller node, C split evenly between them (default 0: workers in the bench's own JVM).")
  int workerNodes;

  @Option(names = "--warmup", paramLabel = "W", defaultValue = "2000",
      description = "Tasks processed first and not measured: JIT compilation, pools (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--rpm", paramLabel = "R", defaultValue = "0",
      description = "Requests per minute the simulator allows and llm-worker budgets for (default 0: no limit).")
  int rpm;

  @Option(names = "--tpm", paramLabel = "T", defaultValue = "0",
      description = "Tokens per minute the simulator allows and llm-worker budgets for (default 0: no limit).")
  int tpm;

  @Option(names = "--endpoint", paramLabel = "E", defaultValue = "chat",
      description = "What the tasks ask for: chat, responses, embeddings (4 inputs each), completions or "
          + "moderations (default ${DEFAULT-VALUE}).")
  String endpoint;

  @Option(names = "--json", description = "Print the figures as one JSON object on the last line.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    check("--tasks", tasks, 1, 10_000_000);
    check("--latency-ms", latencyMs, 1, 600_000);
    check("--concurrency", concurrency, 1, 100_000);
    check("--instances", instances, 1, 256);
    check("--warmup", warmup, 0, 10_000_000);
    check("--worker-nodes", workerNodes, 0, 16);
    check("--rpm", rpm, 0, 100_000_000);
    check("--tpm", tpm, 0, 1_000_000_000);
    Endpoint chosen = Arrays.stream(Endpoint.values()).filter(e -> e.label.equals(endpoint)).findFirst()
        .orElseThrow(() -> new ConfigException("--endpoint", "one of " + Arrays.stream(Endpoint.values())
            .map(e -> e.label).toList(), endpoint));
    BenchReport report = new BenchRunner(new BenchRunner.Options(tasks, latencyMs, concurrency, instances, warmup,
        rpm, tpm, workerNodes, chosen), System.err).run();
    System.out.println(report.summary());
    if (json) {
      System.out.println(report.toJson().encode());
    }
    return report.lost() == 0 ? 0 : 1;
  }

  private static void check(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(option, "an integer from " + min + " to " + max, value);
    }
  }
}
