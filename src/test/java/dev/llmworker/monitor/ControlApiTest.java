package dev.llmworker.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import dev.llmworker.task.SampleTasks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The dashboard's control actions and read endpoints over real HTTP, against a real node, ElasticMQ and simulator. */
class ControlApiTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String TOKEN = "test-token-0123456789";
  private Stack stack;
  private String base;

  @BeforeEach
  void setUp() {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(20));
    base = stack.startNode(json -> json.put("monitor", json.getJsonObject("monitor").put("token", TOKEN)))
        .monitorUrl();
  }

  @AfterEach
  void tearDown() {
    stack.close();
  }

  private HttpResponse<String> post(String path, String body, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject control(String path, JsonObject body) throws Exception {
    HttpResponse<String> r = post(path, body.encode(), "Bearer " + TOKEN);
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return new JsonObject(r.body());
  }

  /**
   * POST /api/dlq/redrive answers 202 at once with a redrive id; the redrive's progress and outcome are in
   * /api/stats. Returns that outcome once it is done.
   */
  private JsonObject redrive(JsonObject body) throws Exception {
    HttpResponse<String> r = post("api/dlq/redrive", body.encode(), "Bearer " + TOKEN);
    assertEquals(202, r.statusCode(), r.body());
    String id = new JsonObject(r.body()).getString("redrive_id");
    assertTrue(id != null && id.startsWith("redrive-"), r.body());
    Eventually.await(Duration.ofSeconds(60), () -> {
      JsonObject redrive = get("api/stats").getJsonObject("redrive");
      return redrive != null && id.equals(redrive.getString("redrive_id")) && "done".equals(redrive.getString("status"));
    }, () -> "redrive " + id + " not done: " + get("api/stats").getJsonObject("redrive"));
    return get("api/stats").getJsonObject("redrive");
  }

  private JsonObject get(String path) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
          .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), path + ": " + r.body());
      return new JsonObject(r.body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void awaitStats(String what, Predicate<JsonObject> condition) {
    Eventually.await(Duration.ofSeconds(60), () -> condition.test(get("api/stats")),
        () -> what + "; last: " + get("api/stats").encode());
  }

  @Test
  @DisplayName("every control needs the bearer token: missing or wrong is 401 with WWW-Authenticate, right is 200")
  void auth() throws Exception {
    for (String path : List.of("api/pause", "api/resume", "api/workers", "api/dlq/redrive", "api/budgets")) {
      HttpResponse<String> missing = post(path, "{}", null);
      assertEquals(401, missing.statusCode(), path);
      assertTrue(missing.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), path);
      assertTrue(new JsonObject(missing.body()).getString("error").contains("Authorization"), path);
      assertEquals(401, post(path, "{}", "Bearer wrong-token").statusCode(), path);
      assertEquals(401, post(path, "{}", "Bearer " + TOKEN + "x").statusCode(), path);
      assertEquals(401, post(path, "{}", "Basic " + TOKEN).statusCode(), path);
    }
    assertEquals(200, post("api/resume", "{}", "Bearer " + TOKEN).statusCode());
    assertTrue(get("api/stats").getBoolean("controls"));
    assertFalse(get("api/stats").encode().contains(TOKEN), "the token is never shown");
  }

  @Test
  @DisplayName("pause stops receiving (tasks stay visible in the queue), resume lets them all complete")
  void pauseAndResume() throws Exception {
    assertEquals(new JsonObject().put("paused", true), control("api/pause", new JsonObject()));
    awaitStats("paused shown", s -> s.getBoolean("paused"));
    stack.sqs.enqueue(30, n -> SampleTasks.body("p-", n));
    // the depth refresh (every 2 s) runs after several 1 s long polls: none of them may have taken a task
    awaitStats("30 visible in the tasks queue", s -> s.getJsonObject("queues").getJsonObject("tasks")
        .getLong("visible") == 30);
    assertEquals(0, stack.node.stats().succeeded.sum() + stack.node.stats().running.count(),
        "a paused poller started tasks");
    assertEquals(0, stack.sim.stats().requests(), "the LLM was called while paused");

    assertEquals(new JsonObject().put("paused", false), control("api/resume", new JsonObject()));
    Eventually.await(Duration.ofSeconds(30), () -> stack.settled() == 30, () -> "not all done after resume");
    assertEquals(30, stack.node.stats().succeeded.sum());
    awaitStats("resumed shown", s -> !s.getBoolean("paused"));
  }

  @Test
  @DisplayName("worker instances scale up and down live: capacity follows, running tasks finish, nothing is lost")
  void scaleWorkers() throws Exception {
    String node = stack.node.stats().nodeId();
    assertEquals(new JsonObject().put("node", node).put("instances", 6),
        control("api/workers", new JsonObject().put("instances", 6)));
    awaitStats("6 instances, capacity 300", s -> s.getJsonArray("nodes").getJsonObject(0)
        .getInteger("worker_instances") == 6 && s.getJsonObject("totals").getLong("capacity") == 300);

    stack.sqs.enqueue(600, n -> TestTasks.chat("s-" + n, "[[sim:latency_ms=300]] scale " + n));
    Eventually.await(Duration.ofSeconds(30), () -> stack.node.stats().workerBusy.get() > 100,
        () -> "never busy");
    JsonObject down = control("api/workers", new JsonObject().put("instances", 1).put("node", node));
    assertEquals(1, down.getInteger("instances"));
    awaitStats("1 instance, capacity 50", s -> s.getJsonArray("nodes").getJsonObject(0)
        .getInteger("worker_instances") == 1 && s.getJsonObject("totals").getLong("capacity") == 50);
    Eventually.await(Duration.ofSeconds(90), () -> stack.node.stats().succeeded.sum() == 600,
        () -> "not all done: " + stack.node.stats().snapshot().encode());
    assertEquals(0, stack.node.stats().deadLettered.sum());
    assertEquals(600, stack.results().size(), "every task has its result line");
    stack.assertCountersAddUp();

    assertEquals(400, post("api/workers", "{\"instances\":-1}", "Bearer " + TOKEN).statusCode());
    assertEquals(400, post("api/workers", "{\"instances\":100000}", "Bearer " + TOKEN).statusCode());
    assertEquals(400, post("api/workers", "{\"instances\":\"4\"}", "Bearer " + TOKEN).statusCode());
    assertEquals(400, post("api/workers", "not json", "Bearer " + TOKEN).statusCode());
    HttpResponse<String> unknown = post("api/workers", "{\"instances\":2,\"node\":\"nope\"}", "Bearer " + TOKEN);
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.body().contains("nope"), unknown.body());
  }

  @Test
  @DisplayName("a budget changed at run time shows in /api/stats; bad budget changes are 400 naming the field")
  void budgets() throws Exception {
    JsonObject changed = control("api/budgets", new JsonObject().put("provider", "default").put("rpm", 600));
    assertEquals(600, changed.getLong("rpm"));
    assertEquals(0, changed.getLong("tpm"));
    awaitStats("budget 600 rpm shown", s -> s.getJsonArray("budgets").stream().map(JsonObject.class::cast)
        .anyMatch(b -> b.getString("key").equals("default") && b.getLong("rpm_limit") == 600));
    JsonObject tpmOnly = control("api/budgets", new JsonObject().put("provider", "default").put("tpm", 90000));
    assertEquals(600, tpmOnly.getLong("rpm"), "an absent field keeps its current value");
    assertEquals(90000, tpmOnly.getLong("tpm"));

    HttpResponse<String> unknown = post("api/budgets", "{\"provider\":\"nope\",\"rpm\":5}", "Bearer " + TOKEN);
    assertEquals(400, unknown.statusCode());
    assertTrue(unknown.body().contains("provider"), unknown.body());
    HttpResponse<String> negative = post("api/budgets", "{\"provider\":\"default\",\"rpm\":-5}", "Bearer " + TOKEN);
    assertEquals(400, negative.statusCode());
    assertTrue(negative.body().contains("rpm"), negative.body());
  }

  @Test
  @DisplayName("dead-lettered tasks: listed in failures (searchable), peeked without being consumed, redriven by "
      + "custom_id and all, and they complete once the fault is gone")
  void deadLetters() throws Exception {
    String evil = "<script>alert(1)</script>";
    // the first request of each fails with 400 (permanent: dead-lettered at once); a redriven one succeeds
    stack.sqs.enqueue(3, n -> TestTasks.chat("dl-" + n + evil, "[[sim:fail_first=1]] [[sim:fail_status=400]] hi"));
    Eventually.await(Duration.ofSeconds(30), () -> stack.node.stats().deadLettered.sum() == 3, () -> "not dead");

    JsonArray failures = get("api/stats").getJsonArray("failures");
    assertTrue(failures.stream().map(JsonObject.class::cast).anyMatch(f -> f.getString("kind").equals("attempt")
        && f.getInteger("status") == 400 && f.getString("custom_id").endsWith(evil)), failures.encode());
    assertTrue(failures.stream().map(JsonObject.class::cast)
        .filter(f -> f.getString("kind").equals("dead_lettered")).count() == 3, failures.encode());
    JsonArray found = get("api/failures?custom_id=dl-1").getJsonArray("failures");
    assertEquals(2, found.size(), "the attempt and the dead letter of dl-1: " + found.encode());

    for (int peek = 0; peek < 2; peek++) { // peeking twice shows the same: nothing is consumed
      HttpResponse<String> peeked = post("api/dlq/peek", "{\"max\": 10}", "Bearer " + TOKEN);
      assertEquals(200, peeked.statusCode(), peeked.body());
      JsonArray messages = new JsonObject(peeked.body()).getJsonArray("messages");
      assertEquals(3, messages.size(), messages.encode());
      JsonObject first = messages.getJsonObject(0);
      assertTrue(first.getString("custom_id").startsWith("dl-"), first.encode());
      assertEquals("provider_400", first.getString("code"), first.encode());
      assertTrue(first.getString("body").contains(evil));
      assertFalse(first.getBoolean("truncated"));
    }
    assertEquals(400, post("api/dlq/peek", "{\"max\": 0}", "Bearer " + TOKEN).statusCode());

    JsonObject one = redrive(new JsonObject()
        .put("custom_ids", new JsonArray().add("dl-0" + evil).add("no-such-task")));
    assertEquals(1, one.getInteger("moved"));
    assertEquals(new JsonArray().add("no-such-task"), one.getJsonArray("not_found"));
    Eventually.await(Duration.ofSeconds(30), () -> stack.node.stats().succeeded.sum() == 1, () -> "dl-0 not done");

    assertEquals(2, redrive(new JsonObject().put("all", true)).getInteger("moved"));
    Eventually.await(Duration.ofSeconds(30), () -> stack.node.stats().succeeded.sum() == 3, () -> "not all done");
    assertEquals(0, stack.sqs.depth(stack.sqs.queues.dlq()));
    assertEquals(400, post("api/dlq/redrive", "{}", "Bearer " + TOKEN).statusCode());
  }

  @Test
  @DisplayName("/api/history grows a point a second with throughput, failures, in flight, capacity and instances")
  void history() {
    Eventually.await(Duration.ofSeconds(10), () -> get("api/history").getJsonArray("points").size() >= 3,
        () -> "history does not grow");
    JsonObject history = get("api/history");
    assertEquals(1, history.getInteger("interval_s"));
    JsonObject point = history.getJsonArray("points").getJsonObject(0);
    for (String key : List.of("at", "throughput", "failures_per_s", "dead_lettered_per_s", "in_flight", "capacity",
        "worker_instances")) {
      assertTrue(point.containsKey(key), "point lacks " + key + ": " + point.encode());
    }
    JsonObject stats = get("api/stats");
    assertTrue(stats.containsKey("point") && stats.getJsonObject("totals").containsKey("cost_per_hour_usd"));
  }
}
