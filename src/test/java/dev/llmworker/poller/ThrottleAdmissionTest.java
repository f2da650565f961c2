package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Stack;
import dev.llmworker.task.SampleTasks;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** While the provider throttles, the poller stops taking new messages instead of burning their receives. */
class ThrottleAdmissionTest {
  private Stack stack;

  @AfterEach
  void tearDown() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @DisplayName("every call answered 429: tasks wait in process, receiving stops, no receive is burned")
  void throttlingPausesReceiving() throws Exception {
    stack = new Stack(60, 5, SimulatorOptions.defaults().withLatencyMs(5).withRate429(1.0));
    stack.startNode(json -> json.put("worker", new JsonObject().put("instances", 1).put("concurrency", 10)));
    stack.sqs.enqueue(300, n -> SampleTasks.body("t-", n));
    Eventually.await(Duration.ofSeconds(20), () -> stack.sim.stats().statusCount(429) >= 40,
        () -> stack.sim.stats().toJson().encode());

    long received = stack.node.stats().received.sum();
    assertTrue(received <= 10 + 10, "received " + received + " while everything was throttled");
    assertEquals(0, stack.node.stats().returned.sum(), "throttled tasks stay in process, no receive burned");
    assertEquals(0, stack.node.stats().deadLettered.sum());
    assertTrue(stack.node.stats().backingOff.get() > 1, "tasks wait on Retry-After");
    stack.assertCountersAddUp();
  }
}
