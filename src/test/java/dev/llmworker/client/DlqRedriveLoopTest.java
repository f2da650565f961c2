package dev.llmworker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsProxy;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dlq redrive --all} where it moves messages itself, with tasks that fail again at once. */
class DlqRedriveLoopTest {
  @TempDir
  Path dir;
  private Stack stack;

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @DisplayName("against an SQS without message move tasks, dlq redrive --all of tasks that fail again at once moves "
      + "each once, ends with the count and exit 0, and the 400 is paid once more, not again and again")
  void redriveByHandEnds() throws Exception {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json);
    stack.sqs.enqueue(3, TestTasks::poison);
    stack.awaitDeadLettered(3);

    try (SqsProxy older = SqsProxy.withoutMoveTasks(stack.sqs.server.endpoint())) {
      Cli cli = new Cli(dir, older.endpoint());
      // before: it received its own moved tasks back from the DLQ and moved them again, for ever
      Cli.Run run = CompletableFuture.supplyAsync(() -> cli.run("dlq", "redrive", "--all")).get(60, TimeUnit.SECONDS);
      assertEquals(0, run.exit(), run.all());
      assertTrue(run.out().contains("moved 3 message(s) from llm-tasks-dlq to llm-tasks\n"), run.all());
    }
    Eventually.await(Duration.ofSeconds(30), () -> stack.node.stats().deadLettered.sum() == 6
        && stack.sqs.depth(stack.sqs.queues.dlq()) == 3, () -> stack.node.stats().snapshot().encode());
    assertEquals(2, stack.sim.stats().countFor("p400"), "the 400 was paid again more than once");
    stack.assertCountersAddUp();
  }
}
