package dev.llmworker.limits;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 16 item 5: a task chooses its model name, so per-model state must not grow with every name tasks invent. */
class ModelStateBoundTest {
  private static final int TASKS = 5000;
  private Stack stack;

  @AfterEach
  void tearDown() {
    stack.close();
  }

  @Test
  @DisplayName("5,000 tasks with 5,000 distinct model names the provider rejects: statistics, budgets and /metrics "
      + "series stay bounded")
  void randomModelNames() throws Exception {
    stack = new Stack(60, 5, SimulatorOptions.defaults().withLatencyMs(1));
    stack.startNode(json -> json.put("worker", new JsonObject().put("concurrency", 100)));
    stack.sqs.enqueue(TASKS, i -> {
      JsonObject task = new JsonObject(TestTasks.chat("m-" + i, "[[sim:status=400]] no such model"));
      task.getJsonObject("body").put("model", "made-up-model-" + i);
      return task.encode();
    });
    Eventually.await(Duration.ofSeconds(120), () -> stack.settled() == TASKS,
        () -> "settled " + stack.settled());

    JsonObject stats = stack.node.stats().snapshot();
    int llmEntries = stats.getJsonArray("llm").size();
    int budgets = stats.getJsonArray("budgets").size();
    long series = stack.registry.scrape().lines().filter(l -> l.startsWith("llmw_llm_requests_total{")).count();
    int statsBytes = stats.encode().length();
    assertTrue(llmEntries <= 102, "per-model statistics: " + llmEntries);
    assertTrue(budgets <= 102, "budgets: " + budgets);
    assertTrue(series <= 2 * 102, "llmw_llm_requests_total series: " + series);
    assertTrue(statsBytes < 200_000, "/api/stats node snapshot of " + statsBytes + " bytes");
  }
}
