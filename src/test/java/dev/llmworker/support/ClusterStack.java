package dev.llmworker.support;

import dev.llmworker.app.Node;
import dev.llmworker.app.Ports;
import dev.llmworker.app.Role;
import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Several llm-worker nodes in one Vert.x cluster (Hazelcast on loopback, in this JVM) sharing a real ElasticMQ and
 * the simulator over HTTP; {@link #close()} stops the nodes still running, then everything else.
 */
public final class ClusterStack implements AutoCloseable {
  public final SqsFixture sqs;
  public final LlmSimulator sim;
  /** The nodes started and not yet stopped by the test, in start order. */
  public final List<Node> nodes = new ArrayList<>();
  private final Vertx simVertx = Vertx.vertx();
  private final List<Vertx> members = new ArrayList<>();

  /** {@code size} clustered Vert.x members, no nodes yet. */
  public ClusterStack(int size, int simLatencyMs) {
    this.sqs = SqsFixture.start(60, 5);
    this.sim = SqsFixture.await(LlmSimulator.start(simVertx,
        SimulatorOptions.defaults().withLatencyMs(simLatencyMs).withPort(0)));
    String cluster = ClusteredVertx.newClusterName();
    List<Integer> ports = Ports.free(size);
    for (int port : ports) {
      members.add(ClusteredVertx.start(cluster, port, ports));
    }
  }

  /** The simulator's own Vert.x, for timers that watch it. */
  public Vertx simVertx() {
    return simVertx;
  }

  /** Starts a node on member {@code member} with the test defaults, adjusted by {@code config}. */
  public Node startNode(int member, Set<Role> roles, Consumer<JsonObject> config) {
    JsonObject json = TestConfig.base(sqs.server.endpoint(), sim.baseUrl());
    config.accept(json);
    Node node = SqsFixture.await(Node.start(members.get(member), TestConfig.with(json), roles));
    nodes.add(node);
    return node;
  }

  /** Tasks succeeded or dead-lettered by the running nodes together. */
  public long settled() {
    return nodes.stream().mapToLong(n -> n.stats().succeeded.sum() + n.stats().deadLettered.sum()).sum();
  }

  @Override
  public void close() {
    nodes.forEach(n -> SqsFixture.await(n.stop()));
    SqsFixture.await(sim.close());
    members.forEach(v -> SqsFixture.await(v.close()));
    SqsFixture.await(simVertx.close());
    sqs.close();
  }
}
