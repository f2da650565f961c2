package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.RecordedRequest;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 4: the worker owns a task's deadline. Before, the poller's own timeout gave the message back while
 * the worker went on calling the LLM, so the next receive ran it a second time alongside the first.
 */
class TaskDeadlineTest {
  private Stack stack;

  @AfterEach
  void stop() {
    stack.close();
  }

  @Test
  @DisplayName("a task failing until worker.taskTimeoutSeconds stops calling at its deadline; its next receive "
      + "never runs alongside it")
  void noCallsAfterTheDeadline() {
    stack = new Stack(30, 10, SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json
        .put("worker", new JsonObject().put("taskTimeoutSeconds", 3))
        .put("provider", json.getJsonObject("provider").put("requestTimeoutSeconds", 2))
        .put("retry", new JsonObject().put("inProcessMaxAttempts", 100).put("baseDelayMs", 250)
            .put("maxDelayMs", 250).put("returnBaseSeconds", 3).put("returnMaxSeconds", 3)));
    stack.sqs.sqs().sendMessage(b -> b.queueUrl(stack.sqs.queues.tasks())
        .messageBody(TestTasks.chat("stubborn", "[[sim:status=503]] never works"))).join();
    Eventually.await(Duration.ofSeconds(30), () -> stack.node.stats().received.sum() >= 3,
        () -> "receives: " + stack.node.stats().received.sum());

    List<Long> times = stack.sim.requests().stream().map(RecordedRequest::arrivedAtMs).sorted().toList();
    long first = times.get(0);
    long inFirstReceive = times.stream().filter(t -> t - first < 3_500).count();
    assertTrue(inFirstReceive >= 5, "calls in the first 3.5 s: " + inFirstReceive);
    // the first receive's calls end at its 3 s deadline; the message is back only after its 3 s (±25%) delay
    boolean paused = false;
    for (int i = 1; i < times.size(); i++) {
      if (times.get(i) - times.get(i - 1) >= 1_500) {
        paused = true;
        break;
      }
    }
    assertTrue(paused, "no pause between receives: calls went on after the deadline " + gaps(times));
    stack.assertCountersAddUp();
  }

  private static List<Long> gaps(List<Long> times) {
    return java.util.stream.IntStream.range(1, times.size()).mapToObj(i -> times.get(i) - times.get(i - 1)).toList();
  }
}
