package dev.llmworker.bench;

import dev.llmworker.app.Ports;
import dev.llmworker.app.LlmwConfig;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code bench --worker-nodes N}: N worker-only llm-worker processes started from this very jar, joined with the
 * bench's own poller node into one Hazelcast cluster on loopback, so the figures include the clustered event bus
 * between real JVMs. Their output goes to a log file per node, named in the progress lines.
 */
final class WorkerNodes implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();
  /** The cluster name and the Hazelcast ports: index 0 is the bench's node, 1..N the worker nodes. */
  final String cluster = "llmw-bench-" + UUID.randomUUID().toString().substring(0, 8);
  final List<Integer> ports;

  /** Picks the cluster's ports; {@link #start} starts the processes. */
  WorkerNodes(int count) {
    this.ports = Ports.free(count + 1);
  }

  /** The bench's own (poller) node in this cluster, from the default settings. */
  LlmwConfig.Cluster benchNode(JsonObject defaults) {
    LlmwConfig.Cluster base = LlmwConfig.parse(defaults).cluster();
    return new LlmwConfig.Cluster(true, cluster, base.configFile(), "127.0.0.1", ports.get(0), members(), 0, "",
        base.tls());
  }

  /** {@code members} as {@code cluster.members} wants them. */
  List<String> members() {
    return ports.stream().map(p -> "127.0.0.1:" + p).toList();
  }

  void start(Map<String, String> env, PrintStream progress) throws IOException {
    Path jar = ownJar();
    for (int i = 1; i < ports.size(); i++) {
      startOne(jar, i, env, progress);
    }
  }

  private void startOne(Path jar, int index, Map<String, String> env, PrintStream progress) throws IOException {
    Path log = Files.createTempFile("llmw-bench-worker-" + index + "-", ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString(), "run", "--cluster", "--roles", "worker")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("LLMW_"));
    builder.environment().putAll(env);
    builder.environment().put("LLMW_CLUSTER_NAME", cluster);
    builder.environment().put("LLMW_CLUSTER_PORT", String.valueOf(ports.get(index)));
    builder.environment().put("LLMW_CLUSTER_MEMBERS", String.join(",", members()));
    processes.add(builder.start());
    logs.add(log);
    progress.printf("bench: worker node %d started (pid %d, log %s)%n", index, processes.get(index - 1).pid(), log);
  }

  /** Fails when a worker node has exited, naming its log. */
  void checkAlive() {
    for (int i = 0; i < processes.size(); i++) {
      if (!processes.get(i).isAlive()) {
        throw new IllegalStateException("bench: worker node " + (i + 1) + " exited with code "
            + processes.get(i).exitValue() + ", see " + logs.get(i));
      }
    }
  }

  /** SIGTERM to every worker node (a graceful stop), then waits for them. */
  @Override
  public void close() {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      try {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }

  private static Path ownJar() {
    try {
      Path self = Path.of(WorkerNodes.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(self) || !self.toString().endsWith(".jar")) {
        throw new IllegalStateException("bench --worker-nodes starts worker processes from the fat jar: run it as "
            + "java -jar llm-worker.jar bench ... (it runs from " + self + ")");
      }
      return self;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return processes.size() + " worker nodes, logs " + logs.stream().map(Path::toString)
        .collect(Collectors.joining(File.pathSeparator));
  }
}
