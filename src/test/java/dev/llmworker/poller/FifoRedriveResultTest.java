package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.sqs.DeadLetterQueue;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.Stack;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** Result lines on FIFO queues are deduplicated per receive, never across deliveries of a task. */
class FifoRedriveResultTest {
  private Stack stack;

  @AfterEach
  void tearDown() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @DisplayName("FIFO: a task dead-lettered with an error line, redriven within 5 minutes and now answered, gets its "
      + "success line too: the paid answer is not deduplicated away")
  void redrivenSuccessIsStored() throws Exception {
    stack = new Stack(SqsFixture.startFifo(30, 5), SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json.put("sqs", json.getJsonObject("sqs").mergeIn(SqsFixture.fifoNames())));
    stack.sendInGroup("f-1", "reject me once [[sim:fail_first=1]] [[sim:fail_status=400]]", "g");
    stack.awaitDeadLettered(1);

    DeadLetterQueue dlq = new DeadLetterQueue(stack.sqs.sqs(), stack.sqs.queues, stack.vertx.getOrCreateContext());
    assertEquals(1, dlq.redriveAll().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).moved());
    Eventually.await(Duration.ofSeconds(30), () -> stack.node.stats().succeeded.sum() == 1
        && stack.sqs.depth(stack.sqs.queues.tasks()) == 0, () -> stack.node.stats().snapshot().encode());
    assertEquals(2, stack.sim.stats().countFor("f-1"));

    List<Integer> statuses = new ArrayList<>();
    Eventually.await(Duration.ofSeconds(10), () -> {
      for (Message m : stack.sqs.drain(stack.sqs.queues.results())) {
        JsonObject response = new JsonObject(m.body()).getJsonObject("response");
        statuses.add(response == null ? -1 : response.getInteger("status_code"));
      }
      return statuses.contains(200);
    }, () -> "result lines of f-1 (status, -1 = error line): " + statuses);
    assertEquals(List.of(-1, 200), statuses, "the error line, then the answer paid for after the redrive");
  }
}
