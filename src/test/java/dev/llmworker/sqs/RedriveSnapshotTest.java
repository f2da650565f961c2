package dev.llmworker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Redrive of the whole dead-letter queue is a snapshot: each message in it is moved at most once. */
class RedriveSnapshotTest {
  private Stack stack;

  @AfterEach
  void tearDown() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @DisplayName("redriving tasks that fail again at once (invalid JSON, unknown provider, a provider 400) moves each "
      + "once and ends: no loop of dead-letterings, the 400 is paid once more, not again and again")
  void tasksThatFailAgainAreMovedOnce() throws Exception {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(10));
    stack.startNode(json -> json);
    stack.sqs.enqueue(3, TestTasks::poison);
    stack.awaitDeadLettered(3);
    assertEquals(1, stack.sim.stats().countFor("p400"));

    DeadLetterQueue dlq = new DeadLetterQueue(stack.sqs.sqs(), stack.sqs.queues, stack.vertx.getOrCreateContext());
    // before: the redrive received its own moved tasks back from the DLQ and moved them again, for ever
    DeadLetterQueue.Redriven redriven = dlq.redriveAll().toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);

    assertEquals(3, redriven.moved());
    Eventually.await(Duration.ofSeconds(30), () -> stack.node.stats().deadLettered.sum() == 6
        && stack.sqs.depth(stack.sqs.queues.dlq()) == 3, () -> stack.node.stats().snapshot().encode());
    assertEquals(6, stack.node.stats().received.sum(), "each task received once before and once after the redrive");
    assertEquals(2, stack.sim.stats().countFor("p400"), "the 400 was paid again more than once");
    assertEquals(0, stack.sqs.depth(stack.sqs.queues.tasks()));
  }
}
