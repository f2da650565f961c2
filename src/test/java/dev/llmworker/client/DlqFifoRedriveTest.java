package dev.llmworker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.Stack;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dlq redrive --all} on FIFO queues, against a running node (real ElasticMQ, simulator). */
class DlqFifoRedriveTest {
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
  @DisplayName("on FIFO queues, when SQS's move task leaves the DLQ as it was, dlq redrive --all says so, moves the "
      + "messages itself and counts them; the redriven task is called again")
  void fifoNativeMoveThatMovesNothing() throws Exception {
    stack = new Stack(SqsFixture.startFifo(30, 5), SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json.put("sqs", json.getJsonObject("sqs").mergeIn(SqsFixture.fifoNames())));
    stack.sendInGroup("f-1", "reject me once [[sim:fail_first=1]] [[sim:fail_status=400]]", "g");
    stack.awaitDeadLettered(1);

    Cli.Run run = new Cli(dir, stack.sqs.server.endpoint(), new JsonObject().put("sqs", SqsFixture.fifoNames()))
        .run("dlq", "redrive", "--all");

    assertEquals(0, run.exit(), run.all());
    assertTrue(run.out().contains("moved 1 message(s) from llm-tasks-dlq.fifo to llm-tasks.fifo"), run.all());
    Eventually.await(Duration.ofSeconds(30), () -> stack.sim.stats().countFor("f-1") == 2,
        () -> "calls for f-1: " + stack.sim.stats().countFor("f-1") + "\n" + run.all());
    Eventually.await(Duration.ofSeconds(10), () -> stack.sqs.depth(stack.sqs.queues.dlq()) == 0,
        () -> "DLQ depth " + stack.sqs.depth(stack.sqs.queues.dlq()) + "\n" + run.all());
  }
}
