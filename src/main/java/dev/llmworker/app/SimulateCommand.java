package dev.llmworker.app;

import dev.llmworker.sim.FaultRates;
import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Runs the built-in OpenAI-compatible LLM simulator (POST /v1/chat/completions, GET /stats) "
        + "with configurable latency, rate limits and errors, until stopped.")
public final class SimulateCommand implements Callable<Integer> {
  private static final long CLOSE_TIMEOUT_SECONDS = 10;

  @Spec
  CommandSpec spec;

  @Option(names = "--port", paramLabel = "P", defaultValue = "8089",
      description = "Port to listen on; 0 = any free port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", paramLabel = "H", defaultValue = SimulatorOptions.DEFAULT_HOST,
      description = "Interface to listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--latency-ms", paramLabel = "L", defaultValue = "" + SimulatorOptions.DEFAULT_LATENCY_MS,
      description = "Time before each answer (default ${DEFAULT-VALUE}).")
  int latencyMs;

  @Option(names = "--jitter-ms", paramLabel = "J", defaultValue = "0",
      description = "Latency varies uniformly by up to this much either way (default ${DEFAULT-VALUE}).")
  int jitterMs;

  @Option(names = "--rpm", paramLabel = "R", defaultValue = "0",
      description = "Requests per minute before answering 429; 0 = unlimited (default ${DEFAULT-VALUE}).")
  int rpm;

  @Option(names = "--tpm", paramLabel = "T", defaultValue = "0",
      description = "Tokens per minute before answering 429; 0 = unlimited (default ${DEFAULT-VALUE}).")
  int tpm;

  @Option(names = "--window-seconds", paramLabel = "W", defaultValue = "60",
      description = "Length of the sliding rate-limit window, 1 to 60 s; --rpm/--tpm stay per minute and a window "
          + "of W seconds admits their W/60 share (default ${DEFAULT-VALUE}: a strict minute, like providers).")
  int windowSeconds;

  @Option(names = "--error-rate", paramLabel = "E", defaultValue = "0",
      description = "Share of requests, 0 to 1, that fail with 500, 503 or a hang then 504 "
          + "(default ${DEFAULT-VALUE}).")
  double errorRate;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "" + SimulatorOptions.DEFAULT_SEED,
      description = "Seed of the error and jitter draws; the same seed repeats the same run (default "
          + "${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--rate-429", paramLabel = "P", defaultValue = "0",
      description = "Share of requests answered 429 with Retry-After: 1 (default ${DEFAULT-VALUE}).")
  double rate429;

  @Option(names = "--rate-500", paramLabel = "P", defaultValue = "0",
      description = "Share of requests answered 500 (default ${DEFAULT-VALUE}).")
  double rate500;

  @Option(names = "--rate-hang", paramLabel = "P", defaultValue = "0",
      description = "Share of requests held 30 s, then answered 504 (default ${DEFAULT-VALUE}).")
  double rateHang;

  @Option(names = "--rate-truncated", paramLabel = "P", defaultValue = "0",
      description = "Share of requests answered 200 with a JSON body cut in half (default ${DEFAULT-VALUE}).")
  double rateTruncated;

  @Override
  public Integer call() throws Exception {
    SimulatorOptions options;
    try {
      options = new SimulatorOptions(host, port, latencyMs, jitterMs, rpm, tpm, errorRate, seed,
          SimulatorOptions.DEFAULT_HANG_MS).withFaults(new FaultRates(rate429, rate500, rateHang, rateTruncated))
          .withWindowSeconds(windowSeconds);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("llm-worker simulate: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    Vertx vertx = Vertx.vertx();
    LlmSimulator sim;
    try {
      sim = LlmSimulator.start(vertx, options).await();
    } catch (Exception e) {
      spec.commandLine().getErr().println("llm-worker simulate: could not start: " + e.getMessage());
      vertx.close().await();
      return Main.EXIT_FAILURE;
    }
    CountDownLatch signalled = onTermination();
    System.out.println("LLM simulator listening on " + sim.baseUrl());
    awaitTermination(vertx, signalled);
    return Main.EXIT_OK;
  }

  /**
   * Counts down on SIGTERM or Ctrl-C: handlers of its own, installed before the listening line is printed, so that a
   * container engine's stop ends the command with exit 0 rather than 143 (what a JVM shutdown hook leaves).
   */
  private static CountDownLatch onTermination() {
    CountDownLatch signalled = new CountDownLatch(1);
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> signalled.countDown());
    }
    return signalled;
  }

  /** Blocks this (main) thread until {@code signalled}, then closes Vert.x. */
  private static void awaitTermination(Vertx vertx, CountDownLatch signalled) throws InterruptedException {
    signalled.await();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("llm-worker simulate: Vert.x did not close cleanly: " + e);
    }
  }
}
