package dev.llmworker.support;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.app.Node;
import dev.llmworker.app.Role;
import dev.llmworker.app.Vertxes;
import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.sqs.model.Message;

/** A whole pipeline for one test: real ElasticMQ, the real simulator over HTTP, and one llm-worker node. */
public final class Stack implements AutoCloseable {
  /** The node's metrics registry, as {@code run} sets it up: Vert.x and JVM meters plus llm-worker's own. */
  public final PrometheusMeterRegistry registry = Vertxes.registry();
  public final Vertx vertx = Vertxes.create(registry);
  public final SqsFixture sqs;
  public final LlmSimulator sim;
  public Node node;

  public Stack(int visibilityTimeoutSeconds, int maxReceiveCount, SimulatorOptions simOptions) {
    this(SqsFixture.start(visibilityTimeoutSeconds, maxReceiveCount), simOptions);
  }

  public Stack(SqsFixture sqs, SimulatorOptions simOptions) {
    this.sqs = sqs;
    this.sim = SqsFixture.await(LlmSimulator.start(vertx, simOptions.withPort(0)));
  }

  /** Starts the node against {@code endpoint} (ElasticMQ itself, or a proxy in front of it). */
  public Node startNode(String endpoint, UnaryOperator<JsonObject> overrides) {
    JsonObject json = overrides.apply(TestConfig.base(endpoint, sim.baseUrl()));
    LlmwConfig config = TestConfig.with(json);
    node = SqsFixture.await(Node.start(vertx, config, EnumSet.allOf(Role.class), registry));
    return node;
  }

  public Node startNode(UnaryOperator<JsonObject> overrides) {
    return startNode(sqs.server.endpoint(), overrides);
  }

  /** Waits until the dead-letter queue holds {@code count} messages. */
  public void awaitDeadLettered(long count) {
    Eventually.await(java.time.Duration.ofSeconds(30), () -> sqs.depth(sqs.queues.dlq()) == count,
        () -> "DLQ depth " + sqs.depth(sqs.queues.dlq()) + ", expected " + count);
  }

  /** Sends one task to the (FIFO) tasks queue in {@code group}, deduplicated by its {@code custom_id}. */
  public void sendInGroup(String customId, String prompt, String group) {
    String body = TestTasks.chat(customId, prompt);
    sqs.sqs().sendMessage(b -> b.queueUrl(sqs.queues.tasks()).messageBody(body).messageGroupId(group)
        .messageDeduplicationId(customId)).join();
  }

  /** Result lines by custom_id (drains the results queue). */
  public Map<String, List<JsonObject>> results() {
    Map<String, List<JsonObject>> byId = new HashMap<>();
    for (Message m : sqs.drain(sqs.queues.results())) {
      JsonObject line = new JsonObject(m.body());
      byId.computeIfAbsent(String.valueOf(line.getValue("custom_id")), k -> new java.util.ArrayList<>()).add(line);
    }
    return byId;
  }

  /** Waits for the result line of {@code customId} (draining the results queue) and returns the first one. */
  public JsonObject awaitResult(String customId) {
    Map<String, List<JsonObject>> seen = new HashMap<>();
    Eventually.await(java.time.Duration.ofSeconds(20), () -> {
      results().forEach((id, lines) -> seen.computeIfAbsent(id, k -> new java.util.ArrayList<>()).addAll(lines));
      return seen.containsKey(customId);
    }, () -> "no result for " + customId + "; LLM calls so far: " + sim.stats().countFor(customId));
    return seen.get(customId).get(0);
  }

  /**
   * received = succeeded + dead_lettered + returned + requeued + in_flight. The counters are kept on the poller's
   * event loop and read here from another thread one by one, so a read can fall between two updates of one
   * settlement: it is read again until it adds up, for at most 5 s.
   */
  public void assertCountersAddUp() {
    JsonObject[] last = {null};
    Eventually.await(java.time.Duration.ofSeconds(5), () -> {
      JsonObject s = last[0] = node.stats().snapshot();
      long sum = s.getLong("succeeded") + s.getLong("dead_lettered") + s.getLong("returned") + s.getLong("requeued")
          + s.getLong("in_flight");
      return s.getLong("received") == sum;
    }, () -> "counters do not add up: " + last[0].encode());
  }

  public long settled() {
    return node.stats().succeeded.sum() + node.stats().deadLettered.sum();
  }

  @Override
  public void close() {
    if (node != null) {
      SqsFixture.await(node.stop());
    }
    SqsFixture.await(sim.close());
    SqsFixture.await(vertx.close());
    sqs.close();
  }
}
