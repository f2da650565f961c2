package dev.llmworker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.Ports;
import dev.llmworker.sim.FaultRates;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsProxy;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} and {@code dlq peek|redrive|purge} against a running node's queues (real ElasticMQ, simulator). */
class DlqCommandTest {
  private static final int TASKS = 12;

  @TempDir
  Path dir;
  private Stack stack;
  private Cli cli;

  @BeforeEach
  void deadLetterTwelveTasks() throws Exception {
    stack = new Stack(30, 1, SimulatorOptions.defaults().withLatencyMs(5));
    stack.sim.setFaults(new FaultRates(0, 1.0, 0, 0));
    stack.startNode(json -> json.mergeIn(new JsonObject().put("retry", new JsonObject().put("inProcessMaxAttempts", 1)),
        true));
    stack.sqs.enqueue(TASKS, i -> TestTasks.chat("t-" + i, "hello " + i));
    Eventually.await(Duration.ofSeconds(30), () -> stack.sqs.depth(stack.sqs.queues.dlq()) == TASKS,
        () -> "DLQ depth " + stack.sqs.depth(stack.sqs.queues.dlq()));
    awaitResults(TASKS); // the failure lines of the dead-lettered tasks, out of the way
    cli = new Cli(dir, stack.sqs.server.endpoint());
  }

  @AfterEach
  void stop() {
    stack.close();
  }

  @Test
  @DisplayName("status shows the dead-lettered tasks in the DLQ row, and the Batch API's results queue, as a table "
      + "and as JSON")
  void status() {
    Cli.Run table = cli.run("status");
    assertEquals(0, table.exit(), table.all());
    assertTrue(table.out().lines().anyMatch(l -> l.matches("dlq\\s+llm-tasks-dlq\\s+12\\s+0\\s+0")), table.out());
    assertTrue(table.out().contains(stack.sqs.server.endpoint()), table.out());
    assertTrue(table.out().lines().anyMatch(l -> l.matches("batch\\s+llm-batch-results\\s+0\\s+0\\s+0")),
        table.out());

    Cli.Run json = cli.run("status", "--json");
    assertEquals(0, json.exit(), json.all());
    JsonObject queues = new JsonObject(json.out().trim()).getJsonObject("queues");
    assertEquals(TASKS, queues.getJsonObject("dlq").getLong("visible"));
    assertEquals("llm-tasks", queues.getJsonObject("tasks").getString("name"));
    assertEquals(0L, queues.getJsonObject("results").getLong("visible"));
    assertEquals("llm-batch-results", queues.getJsonObject("batch").getString("name"));
  }

  @Test
  @DisplayName("dlq peek shows each task's custom_id and error and consumes none of them")
  void peek() {
    Cli.Run run = cli.run("dlq", "peek", "--max", "20");
    assertEquals(0, run.exit(), run.all());
    for (int i = 0; i < TASKS; i++) {
      assertTrue(run.out().contains("custom_id  t-" + i + "\n"), "t-" + i + " missing:\n" + run.out());
    }
    assertTrue(run.out().contains("provider_500"), run.out());
    Cli.Run json = cli.run("dlq", "peek", "--max", "5", "--json");
    assertEquals(5, json.out().lines().count(), json.out());
    assertEquals("provider_500", new JsonObject(json.out().lines().findFirst().orElseThrow()).getString("code"));
    Eventually.await(Duration.ofSeconds(5), () -> stack.sqs.depth(stack.sqs.queues.dlq()) == TASKS,
        () -> "peek consumed messages: DLQ depth " + stack.sqs.depth(stack.sqs.queues.dlq()));
  }

  @Test
  @DisplayName("dlq redrive --all brings every dead-lettered task back, and they complete once the fault is gone")
  void redriveAll() {
    stack.sim.setFaults(FaultRates.NONE);
    Cli.Run run = cli.run("dlq", "redrive", "--all");
    assertEquals(0, run.exit(), run.all());
    assertTrue(run.out().contains("moved 12 message(s) from llm-tasks-dlq to llm-tasks (SQS message move task)"),
        run.all());
    Map<String, List<JsonObject>> results = awaitResults(TASKS);
    IntStream.range(0, TASKS).forEach(i -> {
      JsonObject line = results.get("t-" + i).get(0);
      assertEquals(200, line.getJsonObject("response").getInteger("status_code"), line.encode());
      assertTrue(line.getJsonObject("response").getJsonObject("body").encode().contains("hello " + i));
    });
    assertEquals(0, stack.sqs.depth(stack.sqs.queues.dlq()));
  }

  @Test
  @DisplayName("where the SQS endpoint has no message move tasks, redrive --all moves the messages batch by batch")
  void redriveAllByHand() {
    stack.sim.setFaults(FaultRates.NONE);
    try (SqsProxy older = SqsProxy.withoutMoveTasks(stack.sqs.server.endpoint())) {
      Cli.Run run = new Cli(dir, older.endpoint()).run("dlq", "redrive", "--all");
      assertEquals(0, run.exit(), run.all());
      assertTrue(run.err().contains("SQS message move task not available here "
          + "(AWS.SimpleQueueService.UnsupportedOperation"), run.all());
      assertTrue(run.out().contains("moved 12 message(s) from llm-tasks-dlq to llm-tasks\n"), run.all());
    }
    assertEquals(TASKS, awaitResults(TASKS).size());
    assertEquals(0, stack.sqs.depth(stack.sqs.queues.dlq()));
  }

  @Test
  @DisplayName("dlq redrive --custom-id moves only the named tasks and says which ids it did not find (exit 1)")
  void redriveSome() {
    stack.sim.setFaults(FaultRates.NONE);
    Cli.Run run = cli.run("dlq", "redrive", "--custom-id", "t-3", "t-7", "no-such-task");
    assertEquals(1, run.exit(), run.all());
    assertTrue(run.out().contains("moved 2 message(s)"), run.all());
    assertTrue(run.err().contains("not found in llm-tasks-dlq: no-such-task"), run.all());
    assertEquals(Set.of("t-3", "t-7"), awaitResults(2).keySet());
    Eventually.await(Duration.ofSeconds(5), () -> stack.sqs.depth(stack.sqs.queues.dlq()) == TASKS - 2,
        () -> "DLQ depth " + stack.sqs.depth(stack.sqs.queues.dlq()));
  }

  @Test
  @DisplayName("dlq purge refuses without --yes (exit 2, nothing deleted) and empties the DLQ with it")
  void purge() {
    Cli.Run refused = cli.run("dlq", "purge");
    assertEquals(2, refused.exit(), refused.all());
    assertTrue(refused.err().contains("add --yes"), refused.all());
    assertEquals(TASKS, stack.sqs.depth(stack.sqs.queues.dlq()));

    Cli.Run purged = cli.run("dlq", "purge", "--yes");
    assertEquals(0, purged.exit(), purged.all());
    Eventually.await(Duration.ofSeconds(10), () -> stack.sqs.depth(stack.sqs.queues.dlq()) == 0,
        () -> "DLQ depth " + stack.sqs.depth(stack.sqs.queues.dlq()));
  }

  @Test
  @DisplayName("with no SQS configured and no running node on the embedded port, a command says so (exit 1)")
  void nothingRunning() throws Exception {
    int port = Ports.free(1).get(0);
    Cli.Run run = new Cli(dir, null, new JsonObject().put("sqs", new JsonObject()
        .put("embedded", new JsonObject().put("port", port)))).run("status");
    assertEquals(1, run.exit(), run.all());
    assertTrue(run.err().contains("no embedded SQS of a running `llm-worker run` or `demo` answers at "
        + "http://127.0.0.1:" + port), run.all());
  }

  /** Drains the results queue until lines for {@code n} custom_ids arrived; by custom_id. */
  private Map<String, List<JsonObject>> awaitResults(int n) {
    Map<String, List<JsonObject>> seen = new java.util.concurrent.ConcurrentHashMap<>();
    Eventually.await(Duration.ofSeconds(30), () -> {
      stack.results().forEach((id, lines) -> seen.computeIfAbsent(id, k -> new java.util.ArrayList<>()).addAll(lines));
      return seen.size() >= n;
    }, () -> "results so far: " + seen.keySet().stream().sorted().collect(Collectors.joining(",")));
    return seen;
  }
}
