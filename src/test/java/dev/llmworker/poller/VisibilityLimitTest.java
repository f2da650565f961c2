package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Issue 15 item 7: SQS keeps a message invisible at most 12 hours after its receive. A task still running near that
 * limit is given up with a reason instead of silently reappearing for a second, parallel run. The limit is shortened
 * to 8 s here (the system property exists for this test).
 */
class VisibilityLimitTest {
  private Stack stack;

  @AfterEach
  void stop() {
    System.clearProperty("llmw.visibilityLimitSeconds");
    stack.close();
  }

  @Test
  @DisplayName("a task still running near the visibility limit is cancelled and dead-lettered as visibility_limit, "
      + "after one LLM call")
  void givenUpAtTheLimit() {
    System.setProperty("llmw.visibilityLimitSeconds", "8");
    stack = new Stack(4, 5, SimulatorOptions.defaults().withLatencyMs(20_000));
    stack.startNode(json -> json.put("provider", json.getJsonObject("provider").put("requestTimeoutSeconds", 30)));
    stack.sqs.sqs().sendMessage(b -> b.queueUrl(stack.sqs.queues.tasks())
        .messageBody(TestTasks.chat("endless", "never ends"))).join();
    stack.awaitDeadLettered(1);
    List<Message> dead = stack.sqs.drain(stack.sqs.queues.dlq());
    assertEquals("visibility_limit", dead.get(0).messageAttributes().get("llmw-error-code").stringValue());
    String reason = dead.get(0).messageAttributes().get("llmw-error-reason").stringValue();
    assertTrue(reason.contains("12 hours"), reason);
    assertEquals("visibility_limit", stack.awaitResult("endless").getJsonObject("error").getString("code"));
    assertEquals(1, stack.sim.stats().countFor("endless"), "LLM calls");
    Eventually.await(java.time.Duration.ofSeconds(10), () -> stack.sqs.depth(stack.sqs.queues.tasks()) == 0,
        () -> "the task is still in its queue");
    stack.assertCountersAddUp();
  }
}
