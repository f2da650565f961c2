package dev.llmworker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.Ports;
import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.ClusteredVertx;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.JarProcess;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.task.SampleTasks;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Real processes from the fat jar joined into one Hazelcast cluster on loopback: a poller+monitor node and
 * worker-only nodes. The simulator and ElasticMQ run in this JVM.
 */
class ClusterIT {
  private static final String TOKEN = "cluster-it-token";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final List<JarProcess> processes = new ArrayList<>();
  private final Map<String, Integer> results = new HashMap<>();
  private Vertx vertx;
  private SqsFixture sqs;
  private LlmSimulator sim;
  private List<Integer> clusterPorts;
  private String clusterName;

  @AfterEach
  void tearDown() {
    processes.forEach(JarProcess::close);
    if (sim != null) {
      SqsFixture.await(sim.close());
    }
    if (vertx != null) {
      SqsFixture.await(vertx.close());
    }
    if (sqs != null) {
      sqs.close();
    }
  }

  private void startBackends(int latencyMs) {
    vertx = Vertx.vertx();
    sqs = SqsFixture.start(30, 5);
    sim = SqsFixture.await(LlmSimulator.start(vertx, SimulatorOptions.defaults().withLatencyMs(latencyMs)));
    clusterPorts = Ports.free(3);
    clusterName = ClusteredVertx.newClusterName();
  }

  /** Node {@code index} (its Hazelcast port is the index-th free port) with the given roles. */
  private JarProcess startNode(int index, String roles, int instances, Map<String, String> extra) throws IOException {
    Map<String, String> env = new HashMap<>();
    if (!roles.equals("worker")) { // a worker-only node needs no SQS (without an endpoint it would start its own)
      env.put("LLMW_SQS_ENDPOINT", sqs.server.endpoint());
      env.put("LLMW_SQS_WAIT_TIME_SECONDS", "1");
    }
    env.put("LLMW_PROVIDER_BASE_URL", sim.baseUrl());
    env.put("LLMW_PROVIDER_API_KEY_ENV", "none");
    env.put("LLMW_MONITOR_PORT", "0");
    env.put("LLMW_MONITOR_TOKEN", TOKEN);
    env.put("LLMW_WORKER_INSTANCES", String.valueOf(instances));
    env.put("LLMW_WORKER_CONCURRENCY", "10");
    env.put("LLMW_CLUSTER_NAME", clusterName);
    env.put("LLMW_CLUSTER_PORT", String.valueOf(clusterPorts.get(index)));
    env.put("LLMW_CLUSTER_MEMBERS", clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
    env.putAll(extra);
    JarProcess node = JarProcess.start(env, "run", "--cluster", "--roles", roles);
    processes.add(node);
    return node;
  }

  private static String monitorUrl(JarProcess main) {
    return main.awaitLine(l -> l.contains("dashboard: "), Duration.ofSeconds(90)).replaceAll(".*dashboard: ", "")
        .trim();
  }

  private static void awaitRunning(JarProcess node) {
    node.awaitLine(l -> l.contains("llm-worker running"), Duration.ofSeconds(90));
  }

  private static JsonObject stats(String monitor) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(monitor + "api/stats"))
          .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
      return new JsonObject(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The node of {@code process} in the monitor's stats, or an empty object while the monitor has not heard of it. */
  private static JsonObject node(JsonObject stats, JarProcess process) {
    return stats.getJsonArray("nodes").stream().map(JsonObject.class::cast)
        .filter(n -> n.getLong("pid", -1L) == process.pid()).findFirst().orElse(new JsonObject());
  }

  private static long capacity(JsonObject stats) {
    return stats.getJsonObject("totals").getLong("capacity", 0L);
  }

  private boolean allResults(int tasks) {
    for (Message m : sqs.drain(sqs.queues.results())) {
      results.merge(new JsonObject(m.body()).getString("custom_id"), 1, Integer::sum);
    }
    return results.size() >= tasks;
  }

  private void assertNothingLostOrDuplicated(int tasks) {
    assertEquals(tasks, results.size(), "tasks without a result");
    assertTrue(results.values().stream().allMatch(n -> n == 1), "a custom_id with two results");
    for (int n = 0; n < tasks; n++) {
      assertTrue(results.containsKey("k-" + n), "no result for task " + n);
    }
    assertEquals(0, sqs.depth(sqs.queues.dlq()), "dead-lettered");
  }

  private String describe(JarProcess... nodes) {
    StringBuilder out = new StringBuilder(results.size() + " results, sim " + sim.stats().toJson());
    out.append("\ntasks queue ").append(sqs.depth(sqs.queues.tasks())).append(", dlq ")
        .append(sqs.depth(sqs.queues.dlq())).append(", missing ").append(java.util.stream.IntStream.range(0, 5000)
            .mapToObj(n -> "k-" + n).filter(id -> !results.containsKey(id)).limit(10).toList());
    for (JarProcess n : nodes) {
      try {
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "cluster-it-" + n.pid() + ".log"), n.output());
      } catch (IOException e) {
        out.append("\n(cannot save the log of ").append(n.pid()).append(": ").append(e).append(")");
      }
    }
    for (JarProcess n : nodes) {
      out.append("\n--- node ").append(n.pid()).append(":\n").append(tail(n.output()));
    }
    return out.toString();
  }

  private static String tail(String output) {
    return output.length() > 4000 ? output.substring(output.length() - 4000) : output;
  }

  @Test
  @DisplayName("three JVMs (poller+monitor, two worker-only): 5,000 tasks all processed once, each worker node "
      + "does at least 30%, never more LLM calls at once than the cluster's 40 worker slots")
  void workSplitsAcrossWorkerNodes() throws Exception {
    int tasks = 5000;
    startBackends(100);
    JarProcess main = startNode(0, "poller,monitor", 0, Map.of());
    JarProcess w1 = startNode(1, "worker", 2, Map.of());
    JarProcess w2 = startNode(2, "worker", 2, Map.of());
    String monitor = monitorUrl(main);
    Eventually.await(Duration.ofSeconds(60), () -> capacity(stats(monitor)) == 40, () -> describe(main, w1, w2));

    sqs.enqueue(tasks, n -> SampleTasks.body("k-", n));
    Eventually.await(Duration.ofSeconds(180), () -> allResults(tasks), () -> describe(main, w1, w2));

    assertNothingLostOrDuplicated(tasks);
    // node stats reach the monitor once a second: wait for the last ones (each task is one LLM call, no retries)
    Eventually.await(Duration.ofSeconds(10), () -> {
      JsonObject s = stats(monitor);
      return node(s, w1).getLong("llm_calls", 0L) + node(s, w2).getLong("llm_calls", 0L) == tasks;
    }, () -> stats(monitor).encodePrettily());
    JsonObject end = stats(monitor);
    long calls1 = node(end, w1).getLong("llm_calls", 0L);
    long calls2 = node(end, w2).getLong("llm_calls", 0L);
    System.out.printf("ClusterIT split: worker node 1 %d calls, worker node 2 %d calls, peak concurrent %d%n",
        calls1, calls2, sim.stats().maxConcurrent());
    assertTrue(calls1 >= tasks * 3 / 10 && calls2 >= tasks * 3 / 10, "unfair split: " + calls1 + " / " + calls2);
    assertTrue(sim.stats().maxConcurrent() <= 40, "peak concurrent LLM calls " + sim.stats().maxConcurrent());
    assertTrue(node(end, main).getInteger("peak_dispatched") <= 40, end.encodePrettily());
    assertEquals(0, node(end, main).getLong("recovered"));
  }

  @Test
  @DisplayName("an idle worker node exits 0 within seconds of SIGTERM while a frozen member holds up the cluster "
      + "(no heartbeats, not yet removed): leaving the cluster is cut short, not waited out to the heartbeat timeout")
  void stopsWhileAMemberIsFrozen() throws Exception {
    startBackends(20);
    JarProcess main = startNode(0, "poller,monitor", 0, Map.of());
    JarProcess frozen = startNode(1, "worker", 1, Map.of());
    JarProcess leaving = startNode(2, "worker", 1, Map.of());
    String monitor = monitorUrl(main);
    Eventually.await(Duration.ofSeconds(60), () -> capacity(stats(monitor)) == 20, () -> describe(main, frozen,
        leaving));
    signal("STOP", frozen);
    try {
      long signalledAt = System.nanoTime();
      leaving.terminate();
      assertEquals(0, leaving.awaitExit(Duration.ofSeconds(30)), leaving.output());
      double seconds = (System.nanoTime() - signalledAt) / 1e9;
      // hazelcast.max.no.heartbeat.seconds is 10: waiting for the cluster to drop the frozen member took that long
      assertTrue(seconds < 5, "took " + seconds + " s to stop:\n" + leaving.output());
      assertTrue(leaving.output().contains("llm-worker: stopped"), leaving.output());
    } finally {
      signal("CONT", frozen);
    }
  }

  @Test
  @DisplayName("SIGTERM to a worker-only node mid-run: its running calls finish within shutdown.graceSeconds (no "
      + "second LLM call for any task), it exits 0, and every task completes once")
  void workerOnlyNodeGetsItsGrace() throws Exception {
    int tasks = 60;
    startBackends(3000);
    JarProcess main = startNode(0, "poller,monitor", 0, Map.of());
    JarProcess stopping = startNode(1, "worker", 1, Map.of());
    JarProcess staying = startNode(2, "worker", 1, Map.of());
    String monitor = monitorUrl(main);
    Eventually.await(Duration.ofSeconds(60), () -> capacity(stats(monitor)) == 20, () -> describe(main, stopping,
        staying));
    sqs.enqueue(tasks, n -> SampleTasks.body("k-", n));
    Eventually.await(Duration.ofSeconds(30), () -> node(stats(monitor), stopping).getLong("running", 0L) >= 5,
        () -> describe(main, stopping, staying));

    stopping.terminate();
    assertEquals(0, stopping.awaitExit(Duration.ofSeconds(40)), stopping.output());
    Eventually.await(Duration.ofSeconds(120), () -> allResults(tasks), () -> describe(main, staying));

    assertNothingLostOrDuplicated(tasks);
    // a call cut by the stop never completes, so only the count of calls received shows it was made again
    assertEquals(tasks, sim.stats().requests(), "a task's LLM call was cut and made again elsewhere");
  }

  private static void signal(String name, JarProcess process) throws IOException, InterruptedException {
    assertEquals(0, new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start()
        .waitFor(), "kill -" + name);
  }

  @Test
  @DisplayName("kill -9 of a worker node mid-run: its running tasks go back to SQS within seconds (not after the "
      + "10-minute visibility timeout), all 2,000 complete once, the monitor marks the node gone, capacity drops")
  void killedWorkerNodeLosesNothing() throws Exception {
    int tasks = 2000;
    startBackends(500);
    // a task held by the dead node would come back from SQS only after this: far longer than the test may take
    Map<String, String> longVisibility = Map.of("LLMW_SQS_VISIBILITY_TIMEOUT_SECONDS", "600");
    JarProcess main = startNode(0, "poller,monitor", 0, longVisibility);
    JarProcess w1 = startNode(1, "worker", 2, longVisibility);
    JarProcess w2 = startNode(2, "worker", 2, longVisibility);
    String monitor = monitorUrl(main);
    Eventually.await(Duration.ofSeconds(60), () -> capacity(stats(monitor)) == 40, () -> describe(main, w1, w2));

    sqs.enqueue(tasks, n -> SampleTasks.body("k-", n));
    Eventually.await(Duration.ofSeconds(60), () -> node(stats(monitor), w2).getLong("llm_calls", 0L) >= 200,
        () -> describe(main, w1, w2));
    long killedAt = System.nanoTime();
    w2.kill();
    w2.awaitExit(Duration.ofSeconds(10));

    Eventually.await(Duration.ofSeconds(15), () -> {
      JsonObject s = stats(monitor);
      return node(s, w2).getBoolean("gone", false) && capacity(s) == 20 && node(s, main).getLong("recovered") > 0;
    }, () -> stats(monitor).encodePrettily());
    System.out.printf("ClusterIT kill: node gone, capacity 20 and tasks recovered %d ms after the kill%n",
        (System.nanoTime() - killedAt) / 1_000_000);
    Eventually.await(Duration.ofSeconds(180), () -> allResults(tasks), () -> describe(main, w1));

    assertEquals(tasks, results.size(), "tasks without a result");
    for (int n = 0; n < tasks; n++) {
      assertTrue(results.containsKey("k-" + n), "no result for task " + n);
    }
    assertEquals(0, sqs.depth(sqs.queues.dlq()), "dead-lettered");
    JsonObject end = stats(monitor);
    long recovered = node(end, main).getLong("recovered");
    System.out.printf("ClusterIT kill: %d tasks taken back from the dead node%n", recovered);
    assertTrue(recovered <= 20, "more tasks recovered than the dead node could run: " + recovered);
    assertTrue(sim.stats().maxConcurrent() <= 40, "peak concurrent LLM calls " + sim.stats().maxConcurrent());
  }

  @Test
  @DisplayName("a worker node joining mid-run gets tasks within seconds; scaling a node 2 -> 8 -> 1 instances over "
      + "HTTP shows in /api/stats; all 3,000 tasks complete once")
  void joinAndScaleMidRun() throws Exception {
    int tasks = 3000;
    startBackends(300);
    JarProcess main = startNode(0, "poller,monitor", 0, Map.of());
    JarProcess w1 = startNode(1, "worker", 2, Map.of());
    String monitor = monitorUrl(main);
    Eventually.await(Duration.ofSeconds(60), () -> capacity(stats(monitor)) == 20, () -> describe(main, w1));

    sqs.enqueue(tasks, n -> SampleTasks.body("k-", n));
    Eventually.await(Duration.ofSeconds(60), () -> sim.stats().okCount() >= 200, () -> describe(main, w1));
    JarProcess w2 = startNode(2, "worker", 2, Map.of());
    awaitRunning(w2);
    long joinedAt = System.nanoTime();
    Eventually.await(Duration.ofSeconds(10), () -> node(stats(monitor), w2).getLong("llm_calls", 0L) > 0,
        () -> describe(main, w1, w2));
    System.out.printf("ClusterIT join: first LLM call on the new node %d ms after it was running%n",
        (System.nanoTime() - joinedAt) / 1_000_000);
    Eventually.await(Duration.ofSeconds(10), () -> capacity(stats(monitor)) == 40, () -> describe(main, w1, w2));

    String w1Id = node(stats(monitor), w1).getString("id");
    scale(monitor, w1Id, 8);
    Eventually.await(Duration.ofSeconds(15), () -> {
      JsonObject s = stats(monitor);
      return node(s, w1).getInteger("worker_instances", 0) == 8 && capacity(s) == 100;
    }, () -> stats(monitor).encodePrettily());
    scale(monitor, w1Id, 1);
    Eventually.await(Duration.ofSeconds(15), () -> {
      JsonObject s = stats(monitor);
      return node(s, w1).getInteger("worker_instances", 0) == 1 && capacity(s) == 30;
    }, () -> stats(monitor).encodePrettily());
    assertTrue(results.size() + sqs.depth(sqs.queues.results()) < tasks, "the scaling happened after the run");

    Eventually.await(Duration.ofSeconds(180), () -> allResults(tasks), () -> describe(main, w1, w2));
    assertNothingLostOrDuplicated(tasks);
    assertEquals(0, node(stats(monitor), main).getLong("recovered"), "a graceful scale-down lost track of a task");
  }

  private static void scale(String monitor, String nodeId, int instances) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(monitor + "api/workers"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("node", nodeId).put("instances", instances)
            .encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(instances, new JsonObject(response.body()).getInteger("instances"), response.body());
  }
}
