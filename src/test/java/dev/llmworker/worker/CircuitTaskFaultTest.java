package dev.llmworker.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 16 item 6: failures the task causes never open the provider's circuit for everyone else. */
class CircuitTaskFaultTest {
  private Stack stack;
  private LlmSimulator backup;

  @AfterEach
  void tearDown() {
    stack.close(); // closes the backup simulator too: it runs on the stack's Vert.x
  }

  @Test
  @DisplayName("30 tasks answered 400 and 10 answers over maxResponseBytes: the circuit stays closed, the next 20 "
      + "tasks are served by the primary, the fallback is never called")
  void taskFaultsKeepTheCircuitClosed() throws Exception {
    stack = new Stack(60, 5, SimulatorOptions.defaults().withLatencyMs(5));
    backup = SqsFixture.await(LlmSimulator.start(stack.vertx, SimulatorOptions.defaults().withLatencyMs(5)
        .withPort(0)));
    stack.startNode(json -> json
        .put("provider", json.getJsonObject("provider").put("fallbacks", new JsonArray().add("backup"))
            .put("circuitOpenSeconds", 60).put("maxResponseBytes", 100_000))
        .put("providers", new JsonArray().add(new JsonObject().put("name", "backup").put("type", "openai")
            .put("baseUrl", backup.baseUrl())))
        .put("worker", new JsonObject().put("instances", 1).put("concurrency", 5)));
    stack.sqs.enqueue(30, i -> TestTasks.chat("bad-" + i, "[[sim:status=400]] the task is wrong"));
    stack.sqs.enqueue(10, i -> TestTasks.chat("huge-" + i, "[[sim:answer_chars=300000]] too much"));
    Eventually.await(Duration.ofSeconds(60), () -> stack.settled() == 40, () -> stack.node.stats().snapshot().encode());
    stack.sqs.enqueue(20, i -> TestTasks.chat("ok-" + i, "a fine task"));
    Eventually.await(Duration.ofSeconds(60), () -> stack.settled() == 60, () -> stack.node.stats().snapshot().encode());

    assertEquals(40, stack.node.stats().deadLettered.sum());
    assertEquals(0, backup.stats().requests(), "the fallback was called: the circuit opened");
    List<JsonObject> ok = stack.results().entrySet().stream().filter(e -> e.getKey().startsWith("ok-"))
        .flatMap(e -> e.getValue().stream()).toList();
    assertEquals(20, ok.size());
    ok.forEach(line -> assertEquals("default", line.getJsonObject("llmw").getString("provider"), line.encode()));
  }
}
