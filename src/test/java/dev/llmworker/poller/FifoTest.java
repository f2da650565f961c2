package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** FIFO queues: one task per message group at a time, in order; groups in parallel. */
class FifoTest {
  private Stack stack;

  @AfterEach
  void tearDown() {
    if (stack != null) {
      stack.close();
    }
  }

  /** Sends (group, index) tasks in the given order, 10 per batch, with content-independent dedup ids. */
  private void send(List<String[]> tasks) {
    for (int i = 0; i < tasks.size(); i += 10) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (String[] t : tasks.subList(i, Math.min(i + 10, tasks.size()))) {
        entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(entries.size()))
            .messageBody(t[2]).messageGroupId(t[0]).messageDeduplicationId(t[1]).build());
      }
      var response = stack.sqs.sqs().sendMessageBatch(b -> b.queueUrl(stack.sqs.queues.tasks()).entries(entries))
          .join();
      assertTrue(response.failed().isEmpty(), response.failed().toString());
    }
  }

  /** custom_ids per group, in the order the FIFO results queue hands them out. */
  private Map<String, List<Integer>> resultOrder() {
    Map<String, List<Integer>> order = new HashMap<>();
    for (Message m : stack.sqs.drain(stack.sqs.queues.results())) {
      String id = new JsonObject(m.body()).getString("custom_id");
      String[] parts = id.split("-");
      order.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
    }
    return order;
  }

  private void startNode() {
    stack.startNode(json -> json.put("sqs", json.getJsonObject("sqs").mergeIn(SqsFixture.fifoNames())));
  }

  @Test
  @DisplayName("20 groups x 50 tasks with random latencies: each group's results in send order, groups in parallel")
  void groupsInOrder() {
    stack = new Stack(SqsFixture.startFifo(30, 5), SimulatorOptions.defaults().withLatencyMs(5));
    startNode();
    Random random = new Random(7);
    List<String[]> tasks = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      for (int g = 0; g < 20; g++) {
        String id = "g" + g + "-" + i;
        tasks.add(new String[] {"g" + g, id, TestTasks.chat(id, "[[sim:latency_ms=" + (1 + random.nextInt(40)) + "]] " + id)});
      }
    }
    send(tasks);
    Eventually.await(Duration.ofSeconds(120), () -> stack.settled() >= 1000,
        () -> stack.node.stats().snapshot().encode());

    Map<String, List<Integer>> order = resultOrder();
    assertEquals(20, order.size());
    List<Integer> expected = java.util.stream.IntStream.range(0, 50).boxed().toList();
    order.forEach((group, indices) -> assertEquals(expected, indices, "group " + group + " out of order"));
    assertTrue(stack.sim.stats().maxConcurrent() >= 5, "groups should run in parallel, peak "
        + stack.sim.stats().maxConcurrent());
    assertEquals(1000, stack.sim.stats().okCount(), "each task called once");
    assertEquals(0, stack.sqs.depth(stack.sqs.queues.dlq()));
    stack.assertCountersAddUp();
  }

  @Test
  @DisplayName("a failing task blocks its own group until it succeeds, while other groups go on")
  void failureBlocksOnlyItsGroup() {
    stack = new Stack(SqsFixture.startFifo(30, 5), SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json.put("sqs", json.getJsonObject("sqs").mergeIn(SqsFixture.fifoNames()))
        .put("retry", json.getJsonObject("retry").put("inProcessMaxAttempts", 1)));
    List<String[]> tasks = new ArrayList<>();
    tasks.add(new String[] {"a", "a-0", TestTasks.chat("a-0", "[[sim:fail_first=2]] [[sim:fail_status=503]] first of a")});
    for (int i = 1; i < 5; i++) {
      tasks.add(new String[] {"a", "a-" + i, TestTasks.chat("a-" + i, "a " + i)});
    }
    for (int i = 0; i < 10; i++) {
      tasks.add(new String[] {"b", "b-" + i, TestTasks.chat("b-" + i, "b " + i)});
    }
    send(tasks);
    Eventually.await(Duration.ofSeconds(60), () -> stack.settled() >= 15,
        () -> stack.node.stats().snapshot().encode());

    Map<String, List<Integer>> order = resultOrder();
    assertEquals(List.of(0, 1, 2, 3, 4), order.get("a"), "group a must wait for a-0");
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), order.get("b"));
    assertEquals(3, stack.sim.stats().countFor("a-0"), "a-0 failed twice, then succeeded");
    assertEquals(1, stack.sim.stats().countFor("a-1"), "a-1 ran once, after a-0");
    assertTrue(stack.node.stats().returned.sum() >= 2, "a-0 went back to SQS twice");
    stack.assertCountersAddUp();
  }
}
