package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Stack;
import dev.llmworker.task.SampleTasks;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** A provider that throttles, fails, hangs and sends broken JSON, all at once. */
class FaultMixTest {
  private static final int TASKS = 1000;
  private Stack stack;

  @AfterEach
  void tearDown() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @DisplayName("10% 429, 5% 500, 2% hangs past the timeout, 1% truncated JSON: every task ends as a result or a "
      + "dead letter with a reason, counters add up, and no task is dead-lettered for 429s")
  void faultMix() throws Exception {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(20).withSeed(11)
        .withRate429(0.10).withRate500(0.05).withRateHang(0.02).withRateTruncated(0.01).withHangMs(4000));
    stack.startNode(json -> json.put("provider", json.getJsonObject("provider").put("requestTimeoutSeconds", 1)));
    stack.sqs.enqueue(TASKS, n -> SampleTasks.body("f-", n));
    Eventually.await(Duration.ofSeconds(150), () -> stack.settled() >= TASKS,
        () -> stack.node.stats().snapshot().encode());

    Map<String, List<JsonObject>> results = stack.results();
    assertEquals(TASKS, results.size(), "every task has a result line");
    long failed = results.values().stream().map(lines -> lines.get(0)).filter(l -> l.getValue("error") != null).count();
    List<Message> dead = stack.sqs.drain(stack.sqs.queues.dlq());
    assertEquals(failed, dead.size(), "each error line has its dead letter");
    for (Message m : dead) {
      assertNotEquals("provider_429", m.messageAttributes().get("llmw-error-code").stringValue());
      assertTrue(!m.messageAttributes().get("llmw-error-reason").stringValue().isBlank());
    }
    assertTrue(stack.node.stats().rateLimited.sum() > 50, "the 429s did happen");
    assertTrue(stack.sim.stats().truncatedCount() > 0 && stack.sim.stats().statusCount(500) > 0);
    assertEquals(0, stack.sqs.depth(stack.sqs.queues.tasks()));
    stack.assertCountersAddUp();
    JsonObject totals = stack.node.stats().snapshot();
    assertEquals(TASKS, totals.getLong("succeeded") + totals.getLong("dead_lettered"));
  }
}
