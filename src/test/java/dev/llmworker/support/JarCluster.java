package dev.llmworker.support;

import dev.llmworker.app.Ports;
import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Fat-jar processes joined into one Hazelcast cluster on loopback, with ElasticMQ and the LLM simulator in this JVM;
 * {@link #close()} kills what is still running and stops the rest.
 */
public final class JarCluster implements AutoCloseable {
  public final SqsFixture sqs;
  public final LlmSimulator sim;
  public final String name = ClusteredVertx.newClusterName();
  /** One Hazelcast port per member, by index. */
  public final List<Integer> ports;
  private final Vertx vertx = Vertx.vertx();
  private final List<JarProcess> processes = new ArrayList<>();

  /** Room for {@code size} members; the simulator answers after {@code latencyMs}. */
  public JarCluster(int size, int latencyMs) {
    this.sqs = SqsFixture.start(30, 5);
    this.sim = SqsFixture.await(LlmSimulator.start(vertx, SimulatorOptions.defaults().withLatencyMs(latencyMs)));
    this.ports = Ports.free(size);
  }

  /** The members list every node joins through. */
  public String members() {
    return ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  /**
   * Member {@code index} as an llm-worker node with {@code roles}, {@code instances} worker instances of 10 slots,
   * the monitor (if any) on a free port behind {@code token}; {@code extra} adds or overrides environment variables.
   */
  public JarProcess startNode(int index, String roles, int instances, String token, Map<String, String> extra)
      throws IOException {
    Map<String, String> env = new HashMap<>();
    if (!roles.equals("worker")) { // a worker-only node needs no SQS (without an endpoint it would start its own)
      env.put("LLMW_SQS_ENDPOINT", sqs.server.endpoint());
      env.put("LLMW_SQS_WAIT_TIME_SECONDS", "1");
    }
    env.put("LLMW_PROVIDER_BASE_URL", sim.baseUrl());
    env.put("LLMW_PROVIDER_API_KEY_ENV", "none");
    env.put("LLMW_MONITOR_PORT", "0");
    env.put("LLMW_MONITOR_TOKEN", token);
    env.put("LLMW_WORKER_INSTANCES", String.valueOf(instances));
    env.put("LLMW_WORKER_CONCURRENCY", "10");
    env.put("LLMW_CLUSTER_NAME", name);
    env.put("LLMW_CLUSTER_PORT", String.valueOf(ports.get(index)));
    env.put("LLMW_CLUSTER_MEMBERS", members());
    env.putAll(extra);
    return track(JarProcess.start(env, "run", "--cluster", "--roles", roles));
  }

  /** A test main class (a test double) as a separate JVM on the jar's classpath. */
  public JarProcess startMain(Class<?> main, String... args) throws IOException {
    return track(JarProcess.startMain(Map.of(), main, args));
  }

  private JarProcess track(JarProcess process) {
    processes.add(process);
    return process;
  }

  /** The dashboard URL a node with the monitor role prints. */
  public static String monitorUrl(JarProcess node) {
    return node.awaitLine(l -> l.contains("dashboard: "), Duration.ofSeconds(90)).replaceAll(".*dashboard: ", "")
        .trim();
  }

  /** {@code /api/stats} of a monitor (read with its token), or an empty object while it does not answer. */
  public static JsonObject stats(String monitor, String token) {
    JsonObject stats = Http.jsonOrNull(monitor + "api/stats", token);
    return stats == null ? new JsonObject().put("nodes", new JsonArray()) : stats;
  }

  /** The entry of {@code process} in the stats, or an empty object while the monitor has not heard of it. */
  public static JsonObject node(JsonObject stats, JarProcess process) {
    return stats.getJsonArray("nodes").stream().map(JsonObject.class::cast)
        .filter(n -> n.getLong("pid", -1L) == process.pid()).findFirst().orElse(new JsonObject());
  }

  public static long capacity(JsonObject stats) {
    return stats.getJsonObject("totals", new JsonObject()).getLong("capacity", 0L);
  }

  /** The last lines of every process, for a failure message. */
  public String describe() {
    StringBuilder out = new StringBuilder("sim " + sim.stats().toJson());
    for (JarProcess p : processes) {
      String text = p.output();
      out.append("\n--- process ").append(p.pid()).append(":\n")
          .append(text.length() > 3000 ? text.substring(text.length() - 3000) : text);
    }
    return out.toString();
  }

  /** Writes every process's output to {@code target/<prefix>-<pid>.log}, for a look after the run. */
  public void saveLogs(String prefix) {
    for (JarProcess p : processes) {
      try {
        Files.writeString(Path.of("target", prefix + "-" + p.pid() + ".log"), p.output());
      } catch (IOException e) {
        System.err.println("cannot save the log of process " + p.pid() + ": " + e);
      }
    }
  }

  @Override
  public void close() {
    processes.forEach(JarProcess::close);
    SqsFixture.await(sim.close());
    SqsFixture.await(vertx.close());
    sqs.close();
  }
}
