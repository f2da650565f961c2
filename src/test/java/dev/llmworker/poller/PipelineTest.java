package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import dev.llmworker.support.TcpProxy;
import dev.llmworker.task.SampleTasks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** The pipeline end to end: real ElasticMQ, the real simulator over HTTP, one node. */
class PipelineTest {
  private Stack stack;

  @AfterEach
  void tearDown() {
    if (stack != null) {
      stack.close();
    }
  }

  private void awaitSettled(long count, Duration timeout) {
    Eventually.await(timeout, () -> stack.settled() >= count, () -> stack.node.stats().snapshot().encode());
  }

  private void awaitEmpty(String queueUrl) {
    Eventually.await(Duration.ofSeconds(20), () -> stack.sqs.depth(queueUrl) == 0,
        () -> "queue not empty: " + stack.sqs.depth(queueUrl));
  }

  @Test
  @DisplayName("1,000 tasks become 1,000 result lines, each LLM call made once, the queue empty, nothing dead-lettered")
  void thousandTasks() throws Exception {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(20));
    stack.startNode(json -> json);
    stack.sqs.enqueue(1000, n -> SampleTasks.body("t-", n));
    awaitSettled(1000, Duration.ofSeconds(90));
    awaitEmpty(stack.sqs.queues.tasks());

    Map<String, List<JsonObject>> results = stack.results();
    assertEquals(1000, results.size());
    for (int n = 0; n < 1000; n++) {
      List<JsonObject> lines = results.get("t-" + n);
      assertNotNull(lines, "no result for t-" + n);
      assertEquals(1, lines.size(), "duplicate result for t-" + n);
      JsonObject line = lines.get(0);
      assertEquals(200, line.getJsonObject("response").getInteger("status_code"));
      assertNotNull(line.getJsonObject("response").getJsonObject("body").getJsonArray("choices"));
      assertEquals(1, line.getJsonObject("llmw").getInteger("attempts"));
      assertTrue(line.getString("id").startsWith("batch_req_"));
      assertTrue(line.getJsonObject("llmw").getJsonObject("usage").getLong("prompt_tokens") > 0);
    }
    assertEquals(0, stack.sqs.depth(stack.sqs.queues.dlq()));
    assertEquals(1000, stack.sim.stats().okCount());
    assertEquals(1000, stack.sim.stats().distinctIds());
    assertEquals(0, stack.sim.stats().duplicateIds());
    assertEquals(1000, stack.node.stats().succeeded.sum());
    stack.assertCountersAddUp();
  }

  @Test
  @DisplayName("with a slow LLM and a big backlog, tasks at workers never exceed instances x concurrency")
  void creditsBoundInFlight() throws Exception {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(300));
    stack.startNode(json -> json.put("worker", new JsonObject().put("instances", 2).put("concurrency", 5)));
    stack.sqs.enqueue(150, n -> SampleTasks.body("c-", n));
    awaitSettled(150, Duration.ofSeconds(60));

    int capacity = 10;
    assertTrue(stack.sim.stats().maxConcurrent() <= capacity, "simulator saw " + stack.sim.stats().maxConcurrent());
    assertTrue(stack.node.stats().peakDispatched.get() <= capacity, "poller had " + stack.node.stats().peakDispatched);
    assertEquals(capacity, stack.node.stats().peakDispatched.get(), "the backlog should fill every slot");
    assertTrue(stack.sim.stats().maxConcurrent() >= capacity / 2, "tasks should run in parallel");
    assertEquals(150, stack.results().size());
    stack.assertCountersAddUp();
  }

  @Test
  @DisplayName("a task running 3x the visibility timeout is kept invisible by heartbeats and processed once")
  void heartbeat() throws Exception {
    stack = new Stack(2, 5, SimulatorOptions.defaults().withLatencyMs(10));
    stack.startNode(json -> json.put("sqs", json.getJsonObject("sqs").put("visibilityTimeoutSeconds", 2)));
    stack.sqs.enqueue(1, n -> TestTasks.chat("slow-1", "take your time [[sim:latency_ms=6500]]"));
    stack.sqs.enqueue(5, n -> TestTasks.chat("quick-" + n, "hello " + n));
    awaitSettled(6, Duration.ofSeconds(30));
    awaitEmpty(stack.sqs.queues.tasks());

    assertEquals(1, stack.sim.stats().countFor("slow-1"), "the slow task was called more than once");
    Map<String, List<JsonObject>> results = stack.results();
    assertEquals(1, results.get("slow-1").size());
    assertEquals(6, results.size());
    assertEquals(0, stack.node.stats().returned.sum());
    stack.assertCountersAddUp();
  }

  @Test
  @DisplayName("429 with Retry-After and 5xx are retried in process and succeed; bad input and a 400 go to the DLQ with a reason")
  void retriesAndDeadLetters() throws Exception {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(10));
    stack.startNode(json -> json);
    stack.sqs.enqueue(1, n -> TestTasks.chat("r429", "throttle me [[sim:fail_first=2]] [[sim:fail_status=429]] [[sim:retry_after=1]]"));
    stack.sqs.enqueue(1, n -> TestTasks.chat("r503", "break twice [[sim:fail_first=2]] [[sim:fail_status=503]]"));
    stack.sqs.enqueue(1, n -> "{this is not json");
    stack.sqs.enqueue(1, n -> new JsonObject(TestTasks.chat("u1", "hi")).put("provider", "nope").encode());
    stack.sqs.enqueue(1, n -> TestTasks.chat("p400", "reject me [[sim:status=400]]"));
    stack.sqs.enqueue(20, n -> TestTasks.chat("after-" + n, "still polling " + n));
    awaitSettled(25, Duration.ofSeconds(60));

    Map<String, List<JsonObject>> results = stack.results();
    assertEquals(3, results.get("r429").get(0).getJsonObject("llmw").getInteger("attempts"));
    assertEquals(200, results.get("r429").get(0).getJsonObject("response").getInteger("status_code"));
    assertEquals(3, results.get("r503").get(0).getJsonObject("llmw").getInteger("attempts"));
    for (int n = 0; n < 20; n++) {
      assertNotNull(results.get("after-" + n), "poller stopped after bad input");
    }
    assertEquals("unknown_provider", results.get("u1").get(0).getJsonObject("error").getString("code"));
    assertEquals("provider_400", results.get("p400").get(0).getJsonObject("error").getString("code"));
    assertEquals("invalid_json", results.get("null").get(0).getJsonObject("error").getString("code"));

    List<Message> dead = stack.sqs.drain(stack.sqs.queues.dlq());
    Map<String, String> reasons = new HashMap<>();
    for (Message m : dead) {
      reasons.put(m.messageAttributes().get("llmw-error-code").stringValue(),
          m.messageAttributes().get("llmw-error-reason").stringValue());
    }
    assertEquals(3, dead.size(), "dead letters: " + reasons);
    assertTrue(reasons.get("invalid_json").contains("not valid JSON"), reasons.toString());
    assertTrue(reasons.get("unknown_provider").contains("nope"), reasons.toString());
    assertTrue(reasons.get("provider_400").contains("400"), reasons.toString());
    assertTrue(dead.stream().anyMatch(m -> m.body().equals("{this is not json")), "the original body is kept");
    assertEquals(3, stack.node.stats().deadLettered.sum());
    assertTrue(stack.node.stats().retried.sum() >= 4);
    assertTrue(stack.node.stats().rateLimited.sum() >= 2);
    stack.assertCountersAddUp();
  }

  @Test
  @DisplayName("a task still failing after the in-process attempts goes back to SQS with a delay and succeeds later; "
      + "one failing on every receive is dead-lettered after maxReceiveCount with the reason")
  void returnsAndGivingUp() throws Exception {
    stack = new Stack(30, 2, SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json.put("retry", json.getJsonObject("retry").put("inProcessMaxAttempts", 2)));
    stack.sqs.enqueue(1, n -> TestTasks.chat("flaky", "fails three times [[sim:fail_first=3]] [[sim:fail_status=503]]"));
    stack.sqs.enqueue(1, n -> TestTasks.chat("broken", "always down [[sim:status=503]]"));
    awaitSettled(2, Duration.ofSeconds(60));
    awaitEmpty(stack.sqs.queues.tasks());

    Map<String, List<JsonObject>> results = stack.results();
    JsonObject flaky = results.get("flaky").get(0);
    assertEquals(200, flaky.getJsonObject("response").getInteger("status_code"));
    assertEquals(4, stack.sim.stats().countFor("flaky"), "2 calls on each of 2 receives");
    JsonObject broken = results.get("broken").get(0);
    assertEquals("provider_503", broken.getJsonObject("error").getString("code"));
    assertTrue(broken.getJsonObject("error").getString("message").startsWith("gave up after 2 receives"),
        broken.encode());
    List<Message> dead = stack.sqs.drain(stack.sqs.queues.dlq());
    assertEquals(1, dead.size());
    assertEquals("2", dead.get(0).messageAttributes().get("llmw-receive-count").stringValue());
    assertEquals(2, stack.node.stats().returned.sum(), "each task was given back once");
    assertEquals(1, stack.node.stats().succeeded.sum());
    assertEquals(1, stack.node.stats().deadLettered.sum());
    stack.assertCountersAddUp();
  }

  @Test
  @DisplayName("SQS unreachable for 10 s mid-run: /ready says 503, processing resumes by itself, nothing is lost")
  void sqsOutage() throws Exception {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(50));
    TcpProxy proxy = SqsFixture.await(TcpProxy.start(stack.vertx, "127.0.0.1", stack.sqs.server.port()));
    String monitor = stack.startNode(proxy.endpoint(), json -> json.put("worker",
        new JsonObject().put("instances", 1).put("concurrency", 10))).monitorUrl();
    stack.sqs.enqueue(400, n -> SampleTasks.body("o-", n));
    awaitSettled(60, Duration.ofSeconds(30));

    proxy.down();
    stack.vertx.setTimer(10_000, id -> proxy.up());
    Eventually.await(Duration.ofSeconds(8), () -> status(monitor + "ready") == 503, () -> "/ready not 503");
    awaitSettled(400, Duration.ofSeconds(120));
    awaitEmpty(stack.sqs.queues.tasks());
    Eventually.await(Duration.ofSeconds(10), () -> status(monitor + "ready") == 200, () -> "/ready not 200");

    assertTrue(proxy.refused() > 0, "the outage should have refused connections");
    Map<String, List<JsonObject>> results = stack.results();
    List<String> missing = java.util.stream.IntStream.range(0, 400).mapToObj(n -> "o-" + n)
        .filter(id -> !results.containsKey(id)).collect(Collectors.toList());
    assertTrue(missing.isEmpty(), "lost: " + missing);
    assertEquals(0, stack.sqs.depth(stack.sqs.queues.dlq()));
    stack.assertCountersAddUp();
  }

  private static int status(String url) {
    try {
      return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
