package dev.llmworker.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TcpProxy;
import dev.llmworker.task.SampleTasks;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The monitor's HTTP endpoints, against a real node (ElasticMQ behind a cuttable proxy, the simulator). */
class MonitorApiTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private Stack stack;
  private TcpProxy proxy;
  private String base;

  @BeforeEach
  void setUp() throws Exception {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));
    proxy = SqsFixture.await(TcpProxy.start(stack.vertx, "127.0.0.1", stack.sqs.server.port()));
    base = stack.startNode(proxy.endpoint(), json -> json).monitorUrl();
  }

  @AfterEach
  void tearDown() {
    proxy.up();
    stack.close();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("/api/stats has totals, every node and the queue depths, and its totals follow the work done")
  void stats() throws Exception {
    stack.sqs.enqueue(20, n -> SampleTasks.body("m-", n));
    Eventually.await(Duration.ofSeconds(30), () -> stack.settled() == 20, () -> "not settled");

    HttpResponse<String> response = get(base + "api/stats");
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonObject stats = new JsonObject(response.body());
    JsonObject totals = stats.getJsonObject("totals");
    for (String key : List.of("received", "succeeded", "dead_lettered", "returned", "requeued", "in_flight",
        "throughput")) {
      assertTrue(totals.containsKey(key), "totals lack " + key);
    }
    assertEquals(20, totals.getLong("succeeded"));
    assertEquals(totals.getLong("received"), totals.getLong("succeeded") + totals.getLong("dead_lettered")
        + totals.getLong("returned") + totals.getLong("requeued") + totals.getLong("in_flight"));
    JsonObject node = stats.getJsonArray("nodes").getJsonObject(0);
    assertEquals(List.of("poller", "worker", "monitor"), node.getJsonArray("roles").getList());
    assertEquals(2, node.getInteger("worker_instances"));
    assertEquals(100, node.getInteger("capacity"));
    assertEquals(20, node.getLong("succeeded"));
    assertTrue(node.getJsonObject("latency_ms").getLong("p50") >= 5, node.encode());
    Eventually.await(Duration.ofSeconds(10), () -> {
      try {
        JsonObject queues = new JsonObject(get(base + "api/stats").body()).getJsonObject("queues");
        return queues.getJsonObject("results").getLong("visible") == 20
            && queues.getJsonObject("tasks").containsKey("in_flight")
            && queues.getJsonObject("dlq").getLong("delayed") == 0;
      } catch (Exception e) {
        return false;
      }
    }, () -> "queue depths never showed the 20 results");
  }

  @Test
  @DisplayName("/health answers 200 UP; /ready is 200 while SQS answers and 503 naming the sqs check while it does not")
  void healthAndReadiness() throws Exception {
    HttpResponse<String> health = get(base + "health");
    assertEquals(200, health.statusCode());
    assertEquals("UP", new JsonObject(health.body()).getString("status"));

    HttpResponse<String> ready = get(base + "ready");
    assertEquals(200, ready.statusCode(), ready.body());

    proxy.down();
    HttpResponse<String> notReady = get(base + "ready");
    assertEquals(503, notReady.statusCode(), notReady.body());
    assertTrue(notReady.body().contains("sqs"), notReady.body());
    assertEquals(200, get(base + "health").statusCode(), "liveness does not depend on SQS");

    proxy.up();
    Eventually.await(Duration.ofSeconds(30), () -> {
      try {
        return get(base + "ready").statusCode() == 200;
      } catch (Exception e) {
        return false;
      }
    }, () -> "never ready again");
  }

  @Test
  @DisplayName("/api/events streams stats snapshots as server-sent events")
  void events() throws Exception {
    HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/events")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      int snapshots = 0;
      String line;
      while (snapshots < 2 && (line = in.readLine()) != null) {
        if (line.startsWith("data: ")) {
          JsonObject snapshot = new JsonObject(line.substring(6));
          assertTrue(snapshot.containsKey("totals") && snapshot.containsKey("nodes"));
          snapshots++;
        } else if (!line.isEmpty()) {
          assertEquals("event: stats", line);
        }
      }
      assertEquals(2, snapshots);
    }
  }

  @Test
  @DisplayName("the dashboard page is served from the jar and loads nothing from the internet")
  void dashboard() throws Exception {
    HttpResponse<String> page = get(base);
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertFalse(page.body().matches("(?s).*(src|href)=\"https?://.*"), "no CDN");
    HttpResponse<String> script = get(base + "app.js");
    assertEquals(200, script.statusCode());
    assertTrue(script.body().contains("/api/events"));
    assertFalse(script.body().contains("innerHTML"), "server data must never be written as HTML");
    HttpResponse<String> batches = get(base + "batches.js");
    assertEquals(200, batches.statusCode());
    assertTrue(page.body().contains("src=\"batches.js\""), "the page loads the Batches view");
    assertFalse(batches.body().matches("(?s).*(innerHTML|outerHTML|insertAdjacentHTML|document\\.write).*"),
        "batch ids, metadata and errors must never be written as HTML");
    HttpResponse<String> chart = get(base + "webjars/chart.js/4.4.1/dist/chart.umd.js");
    assertEquals(200, chart.statusCode(), "Chart.js is served from the jar");
    assertTrue(page.body().contains("/webjars/chart.js/4.4.1/dist/chart.umd.js"));
  }

  @Test
  @DisplayName("without monitor.token every control action is 403 (disabled), never open, and stats say so")
  void controlsDisabledWithoutToken() throws Exception {
    for (String path : List.of("api/pause", "api/resume", "api/workers", "api/dlq/redrive", "api/budgets")) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
          .POST(HttpRequest.BodyPublishers.ofString("{\"instances\":1}")).header("Authorization", "Bearer ")
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(403, r.statusCode(), path);
      assertTrue(new JsonObject(r.body()).getString("error").contains("monitor.token"), r.body());
    }
    assertFalse(new JsonObject(get(base + "api/stats").body()).getBoolean("controls"));
  }

  @Test
  @DisplayName("/metrics is Prometheus text with llm-worker's, Vert.x's and the JVM's meters, and passes "
      + "promtool check metrics")
  void metrics() throws Exception {
    stack.sqs.enqueue(20, n -> SampleTasks.body("x-", n));
    Eventually.await(Duration.ofSeconds(30), () -> stack.settled() == 20, () -> "not settled");
    Eventually.await(Duration.ofSeconds(10), () -> {
      try {
        return get(base + "metrics").body().contains("llmw_queue_messages{queue=\"results\",state=\"visible\"} 20.0");
      } catch (Exception e) {
        return false;
      }
    }, () -> "queue depth gauge never showed the 20 results");
    HttpResponse<String> response = get(base + "metrics");
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    String text = response.body();
    for (String expected : List.of(
        "llmw_tasks_settled_total{outcome=\"succeeded\"} 20.0",
        "llmw_tasks_received_total 20.0",
        "llmw_llm_requests_total{endpoint=\"chat\",model=\"sim-1\",outcome=\"succeeded\",provider=\"default\"} 20.0",
        "llmw_llm_tokens_total{endpoint=\"chat\",kind=\"completion\",model=\"sim-1\",provider=\"default\"}",
        "llmw_llm_cost_usd_total{", "llmw_llm_rate_limited_total{",
        "llmw_llm_latency_seconds_bucket{", "llmw_task_duration_seconds_count{", "llmw_tasks_in_flight ",
        "llmw_worker_instances 2.0", "llmw_budget_rpm_limit{", "vertx_http_server_requests_total", "jvm_memory_used_bytes")) {
      assertTrue(text.contains(expected), "/metrics lacks " + expected);
    }
    java.nio.file.Files.writeString(java.nio.file.Path.of("target", "metrics.prom"), text); // kept for a look
    assertEquals("", promtool(text));
  }

  /** Runs {@code promtool check metrics} on the text; returns its complaints ("" when it passes). */
  private static String promtool(String text) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      throw new AssertionError("promtool is needed for this test (Debian: apt-get install prometheus; .ci/run "
          + "installs it)", e);
    }
    try (var in = p.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "promtool hung");
    return p.exitValue() == 0 ? out.trim() : "exit " + p.exitValue() + ": " + out;
  }
}
