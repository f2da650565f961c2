package dev.llmworker.app;

import static dev.llmworker.support.JarCluster.capacity;
import static dev.llmworker.support.JarCluster.node;
import static dev.llmworker.support.JarCluster.stats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.support.Eventually;
import dev.llmworker.support.JarCluster;
import dev.llmworker.support.JarProcess;
import dev.llmworker.support.TestCertificates;
import dev.llmworker.support.TestCertificates.Ca;
import dev.llmworker.support.TestCertificates.Node;
import dev.llmworker.task.SampleTasks;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * cluster.tls with real processes: fat-jar nodes with mutual TLS, and {@link RogueNode}, a JVM that joins the same
 * Hazelcast cluster without a certificate of the cluster's CA and tries to send control messages and tasks and to
 * receive tasks. The second test runs the same rogue against a cluster without TLS, where it gets in: proof that the
 * rogue's attempts are real and the first test's assertions can fail.
 */
class ClusterTlsIT {
  private static final String TOKEN = "cluster-tls-it-token";
  private static final Duration START = Duration.ofSeconds(90);

  @TempDir
  Path dir;
  private JarCluster cluster;
  private final Map<String, Integer> results = new HashMap<>();

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.saveLogs("cluster-tls-it");
      cluster.close();
    }
  }

  private static Map<String, String> pem(Node node, Ca ca) {
    return Map.of("LLMW_CLUSTER_TLS_KEY_FILE", node.key().toString(), "LLMW_CLUSTER_TLS_CERT_FILE",
        node.cert().toString(), "LLMW_CLUSTER_TLS_CA_FILE", ca.pem().toString());
  }

  private static Map<String, String> keyStore(Node node, Ca ca) {
    return Map.of("LLMW_CLUSTER_TLS_KEY_STORE", node.keyStore().toString(),
        "LLMW_CLUSTER_TLS_KEY_STORE_PASSWORD_ENV", "NODE_KEY_STORE_PASSWORD", "NODE_KEY_STORE_PASSWORD",
        node.password(), "LLMW_CLUSTER_TLS_CA_FILE", ca.pem().toString());
  }

  /** The rogue as member {@code index}; with {@code node}, it speaks TLS with that certificate. */
  private JarProcess rogue(int index, int workers, int nodes, Node node) throws IOException {
    List<String> args = List.of(cluster.name, String.valueOf(cluster.ports.get(index)), cluster.members(),
        String.valueOf(workers), String.valueOf(nodes));
    if (node != null) {
      args = new java.util.ArrayList<>(args);
      args.addAll(List.of(node.key().toString(), node.cert().toString()));
    }
    return cluster.startMain(RogueNode.class, args.toArray(String[]::new));
  }

  private static void awaitJoined(JarProcess rogue, int members) {
    String joined = rogue.awaitLine(l -> l.startsWith("rogue: joined"), START);
    assertTrue(joined.contains("(" + members + " members)"), joined);
  }

  private static List<String> lines(JarProcess process, String prefix) {
    return Arrays.stream(process.output().split("\n")).filter(l -> l.startsWith(prefix)).toList();
  }

  private boolean allResults(int tasks) {
    for (Message m : cluster.sqs.drain(cluster.sqs.queues.results())) {
      results.merge(new JsonObject(m.body()).getString("custom_id"), 1, Integer::sum);
    }
    return results.size() >= tasks;
  }

  private void enqueue(int from, int count) throws InterruptedException {
    cluster.sqs.enqueue(count, n -> SampleTasks.body("k-", from + n));
  }

  @Test
  @DisplayName("three JVMs with mutual TLS (two sharing one PEM certificate, one with a PKCS#12 key store) process "
      + "every task once; a fourth and fifth JVM in the same Hazelcast cluster, one without TLS and one with a CA of "
      + "its own, receive no task, get none of their own run, and their scale, budget and pause messages change "
      + "nothing")
  void rogueWithoutTheClusterCaGetsNothingIn() throws Exception {
    long startedAt = System.nanoTime();
    Ca ca = TestCertificates.ca(dir, "llmw-cluster-ca");
    Node shared = ca.node("llmw-node");
    Node own = ca.node("llmw-worker-2");
    Node intruder = TestCertificates.ca(dir, "intruder-ca").node("intruder");
    cluster = new JarCluster(5, 100);
    JarProcess main = cluster.startNode(0, "poller,monitor", 0, TOKEN, pem(shared, ca));
    JarProcess w1 = cluster.startNode(1, "worker", 2, TOKEN, pem(shared, ca));
    JarProcess w2 = cluster.startNode(2, "worker", 2, TOKEN, keyStore(own, ca));
    String monitor = JarCluster.monitorUrl(main);
    Eventually.await(START, () -> capacity(stats(monitor, TOKEN)) == 40, cluster::describe);
    assertTrue(main.output().contains("event bus: mutual TLS (cluster.tls)"), main.output());
    assertTrue(w2.output().contains("cluster event bus: mutual TLS, this node's certificate CN=llmw-worker-2"),
        w2.output());

    JarProcess plain = rogue(3, 4, 2, null);
    JarProcess foreign = rogue(4, 4, 2, intruder);
    awaitJoined(plain, 5);
    awaitJoined(foreign, 5);
    enqueue(0, 200);
    plain.send("attack");
    foreign.send("attack");
    for (JarProcess rogue : List.of(plain, foreign)) {
      rogue.awaitLine(l -> l.equals("rogue: attack done"), START);
    }
    Eventually.await(Duration.ofSeconds(120), () -> allResults(200), cluster::describe);
    // after the attacks: a second batch still runs, on both worker nodes, at full speed
    enqueue(200, 200);
    Eventually.await(Duration.ofSeconds(120), () -> allResults(400), cluster::describe);

    for (JarProcess rogue : List.of(plain, foreign)) {
      assertTrue(rogue.output().contains("rogue: listening on llmw.capacity and llmw.stats"), rogue.output());
      assertEquals(List.of(), lines(rogue, "rogue: received"), "a TLS node sent the rogue a message");
      List<String> tasks = lines(rogue, "rogue: task ");
      List<String> scales = lines(rogue, "rogue: scale ");
      assertEquals(4, tasks.size(), rogue.output());
      assertEquals(2, scales.size(), rogue.output());
      tasks.forEach(l -> assertTrue(l.contains(": failed"), l));
      scales.forEach(l -> assertTrue(l.contains(": failed"), l));
    }
    for (int n = 0; n < 4; n++) {
      assertEquals(0, cluster.sim.stats().countFor("rogue-" + n), "the rogue's task rogue-" + n + " was run");
    }
    assertEquals(400, results.size(), "tasks without a result");
    for (int n = 0; n < 400; n++) {
      assertEquals(1, results.get("k-" + n), "results of k-" + n);
      assertEquals(1, cluster.sim.stats().countFor("k-" + n), "LLM calls for k-" + n);
    }
    JsonObject end = stats(monitor, TOKEN);
    assertFalse(end.getBoolean("paused"), end.encodePrettily());
    assertEquals(40, capacity(end), end.encodePrettily());
    assertEquals(2, node(end, w1).getInteger("worker_instances"), end.encodePrettily());
    assertEquals(2, node(end, w2).getInteger("worker_instances"), end.encodePrettily());
    assertTrue(end.getJsonArray("budgets").stream().map(JsonObject.class::cast)
        .noneMatch(b -> b.getLong("rpm_configured", 0L) == 1L), end.encodePrettily());
    System.out.printf("ClusterTlsIT: 400 tasks through the TLS cluster past two rogues in %d s%n",
        (System.nanoTime() - startedAt) / 1_000_000_000L);
  }

  @Test
  @DisplayName("without cluster.tls the same rogue JVM receives tasks from the poller and the nodes' capacity and "
      + "stats, gets its own task run by a worker, scales a node to 0, sets a budget and pauses polling: everything "
      + "the TLS test rules out")
  void withoutTlsTheRogueGetsIn() throws Exception {
    cluster = new JarCluster(3, 300);
    JarProcess main = cluster.startNode(0, "poller,monitor", 0, TOKEN, Map.of());
    JarProcess worker = cluster.startNode(1, "worker", 2, TOKEN, Map.of());
    String monitor = JarCluster.monitorUrl(main);
    Eventually.await(START, () -> capacity(stats(monitor, TOKEN)) >= 20, cluster::describe);
    assertTrue(main.output().contains("event bus: no TLS (loopback only)"), main.output());

    JarProcess rogue = rogue(2, 2, 1, null);
    awaitJoined(rogue, 3);
    enqueue(0, 200);
    rogue.awaitLine(l -> l.startsWith("rogue: received task k-"), START);
    rogue.awaitLine(l -> l.startsWith("rogue: received a message on llmw.capacity"), START);
    rogue.awaitLine(l -> l.startsWith("rogue: received a message on llmw.stats"), START);
    rogue.send("attack");
    rogue.awaitLine(l -> l.equals("rogue: attack done"), START);

    lines(rogue, "rogue: task ").forEach(l -> assertTrue(l.contains(": answered"), rogue.output()));
    assertTrue(lines(rogue, "rogue: scale ").get(0).contains(": answered"), rogue.output());
    assertEquals(1, cluster.sim.stats().countFor("rogue-0"), rogue.output());
    Eventually.await(Duration.ofSeconds(10), () -> {
      JsonObject s = stats(monitor, TOKEN);
      return s.getBoolean("paused", false) && node(s, worker).getInteger("worker_instances", -1) == 0
          && s.getJsonArray("budgets").stream().map(JsonObject.class::cast)
          .anyMatch(b -> b.getLong("rpm_configured", 0L) == 1L);
    }, () -> stats(monitor, TOKEN).encodePrettily());
  }
}
