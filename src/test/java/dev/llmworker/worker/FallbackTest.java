package dev.llmworker.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.FaultRates;
import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A primary provider that fails: tasks complete on its fallback; once it recovers, its circuit closes again. */
class FallbackTest {
  private Stack stack;
  private LlmSimulator backup;

  @AfterEach
  void tearDown() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @DisplayName("primary answering 500s: every task completes on the fallback, the open circuit spares the primary "
      + "most calls, and after the primary recovers its circuit closes and it serves tasks again")
  void fallsBackAndRecovers() throws Exception {
    stack = new Stack(60, 5, SimulatorOptions.defaults().withLatencyMs(5));
    backup = SqsFixture.await(LlmSimulator.start(stack.vertx, SimulatorOptions.defaults().withLatencyMs(5)
        .withPort(0)));
    stack.sim.setFaults(new FaultRates(0, 1.0, 0, 0));
    stack.startNode(json -> json
        .put("provider", json.getJsonObject("provider").put("fallbacks", new JsonArray().add("backup"))
            .put("circuitOpenSeconds", 2))
        .put("providers", new JsonArray().add(new JsonObject().put("name", "backup").put("type", "openai")
            .put("baseUrl", backup.baseUrl())))
        .put("prices", new JsonObject().put("sim-1", new JsonObject().put("input", 1.0).put("output", 2.0)))
        .put("worker", new JsonObject().put("instances", 1).put("concurrency", 5)));
    stack.sqs.enqueue(100, i -> TestTasks.chat("down-" + i, "primary is down " + i));
    Eventually.await(Duration.ofSeconds(60), () -> stack.settled() == 100, () -> stack.node.stats().snapshot().encode());

    List<JsonObject> lines = new ArrayList<>();
    stack.results().values().forEach(lines::addAll);
    assertEquals(100, lines.size());
    for (JsonObject line : lines) {
      assertEquals(200, line.getJsonObject("response").getInteger("status_code"), line.encode());
      assertEquals("backup", line.getJsonObject("llmw").getString("provider"), line.encode());
      assertEquals("default", line.getJsonObject("llmw").getString("fallback_from"), line.encode());
      JsonObject usage = line.getJsonObject("llmw").getJsonObject("usage");
      double cost = (usage.getLong("prompt_tokens") * 1.0 + usage.getLong("completion_tokens") * 2.0) / 1_000_000;
      assertEquals(cost, line.getJsonObject("llmw").getDouble("cost_usd"), 1e-12, "cost from the price table");
    }
    JsonObject backupUsage = stack.node.stats().llm.snapshot().stream().map(JsonObject.class::cast)
        .filter(u -> u.getString("provider").equals("backup")).findFirst().orElseThrow();
    assertEquals(100, backupUsage.getLong("succeeded"), backupUsage.encode());
    assertTrue(backupUsage.getDouble("cost_usd") > 0, backupUsage.encode());
    assertEquals(0, stack.node.stats().deadLettered.sum());
    assertTrue(stack.sim.stats().requests() < 60, "the open circuit spared the primary: "
        + stack.sim.stats().requests() + " calls for 100 tasks");

    stack.sim.setFaults(FaultRates.NONE);
    AtomicInteger sent = new AtomicInteger();
    long trickle = stack.vertx.setPeriodic(100, id -> stack.vertx.executeBlocking(() -> {
      int n = sent.incrementAndGet();
      stack.sqs.enqueue(1, i -> TestTasks.chat("up-" + n, "primary is back " + n));
      return null;
    }));
    Eventually.await(Duration.ofSeconds(30), () -> stack.sim.stats().okCount() >= 10,
        () -> "primary never served again: " + stack.sim.stats().toJson().encode());
    stack.vertx.cancelTimer(trickle);
    Eventually.await(Duration.ofSeconds(30), () -> stack.settled() == 100 + sent.get(),
        () -> stack.node.stats().snapshot().encode());
    assertEquals(0, stack.node.stats().deadLettered.sum());
    assertEquals(0, stack.sqs.depth(stack.sqs.queues.dlq()));
  }
}
