package dev.llmworker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Http;
import dev.llmworker.support.JarProcess;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.TestConfig;
import dev.llmworker.sqs.BulkSender;
import dev.llmworker.sqs.SqsClients;
import dev.llmworker.task.SampleTasks;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar as users run it: a separate process, configured by environment and files. */
class FatJarIT {
  @TempDir
  Path dir;

  private static HttpResponse<String> get(String url) throws Exception {
    return Http.get(url);
  }

  @Test
  @DisplayName("java -jar run: embedded SQS, tasks processed over HTTP, /health and /api/stats answer, SIGTERM exits 0")
  void runEndToEnd() throws Exception {
    Vertx vertx = Vertx.vertx();
    LlmSimulator sim = SqsFixture.await(LlmSimulator.start(vertx, SimulatorOptions.defaults().withLatencyMs(20)));
    try (JarProcess jar = JarProcess.start(Map.of(
        "LLMW_SQS_EMBEDDED_PORT", "0",
        "LLMW_MONITOR_PORT", "0",
        "LLMW_PROVIDER_BASE_URL", sim.baseUrl(),
        "LLMW_PROVIDER_API_KEY_ENV", "none",
        "LLMW_SQS_WAIT_TIME_SECONDS", "1"), "run")) {
      String dashboard = jar.awaitLine(l -> l.contains("dashboard: "), Duration.ofSeconds(60))
          .replaceAll(".*dashboard: ", "").trim();
      String endpoint = jar.awaitLine(l -> l.contains("SQS: http://"), Duration.ofSeconds(5))
          .replaceAll(".*SQS: ", "").replaceAll(" .*", "").trim();
      String tasksUrl = jar.awaitLine(l -> l.contains("tasks queue: "), Duration.ofSeconds(5))
          .replaceAll(".*tasks queue: ", "").trim();

      try (SqsClients clients = new SqsClients(TestConfig.with(new JsonObject().put("sqs",
          new JsonObject().put("endpoint", endpoint))).sqs(), 1)) {
        new BulkSender(clients.operations(), tasksUrl).send(0, 50, n -> SampleTasks.body("jar-", n));
      }
      Eventually.await(Duration.ofSeconds(60), () -> sim.stats().okCount() >= 50, jar::output);

      assertEquals(200, get(dashboard + "health").statusCode());
      Eventually.await(Duration.ofSeconds(20), () -> {
        JsonObject stats = Http.jsonOrNull(dashboard + "api/stats");
        return stats != null && stats.getJsonObject("totals").getLong("succeeded") == 50;
      }, jar::output);
      HttpResponse<String> ready = get(dashboard + "ready");
      assertEquals(200, ready.statusCode(), ready.body());
      assertTrue(get(dashboard).body().contains("llm-worker"));

      jar.terminate();
      assertEquals(0, jar.awaitExit(Duration.ofSeconds(40)), jar.output());
      assertTrue(jar.output().contains("stopping"), jar.output());
    } finally {
      SqsFixture.await(vertx.close());
    }
  }

  @Test
  @DisplayName("simulate stops on SIGTERM with exit 0 (a container engine's stop shows a clean exit, not 143)")
  void simulateStopsCleanly() throws Exception {
    try (JarProcess sim = JarProcess.start(Map.of(), "simulate", "--port", "0")) {
      sim.awaitLine(l -> l.contains("LLM simulator listening on"), Duration.ofSeconds(60));
      sim.terminate();
      assertEquals(0, sim.awaitExit(Duration.ofSeconds(20)), sim.output());
    }
  }

  @Test
  @DisplayName("a bad value in the environment exits with code 2 and names the key")
  void badEnvironment() throws Exception {
    try (JarProcess jar = JarProcess.start(Map.of("LLMW_WORKER_INSTANCES", "four"), "run")) {
      assertEquals(2, jar.awaitExit(Duration.ofSeconds(30)), jar.output());
      assertTrue(jar.output().contains("worker.instances"), jar.output());
    }
  }

  @Test
  @DisplayName("a bad config file (unknown key, wrong type) exits with code 2 and names the key")
  void badFile() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"monitor\":{\"port\":\"eighty\"}}");
    try (JarProcess jar = JarProcess.start(Map.of(), "run", "--config", file.toString())) {
      assertEquals(2, jar.awaitExit(Duration.ofSeconds(30)), jar.output());
      assertTrue(jar.output().contains("monitor.port: expected an integer"), jar.output());
    }
    Files.writeString(file, "{\"sqs\":{\"queueUrll\":\"x\"}}");
    try (JarProcess jar = JarProcess.start(Map.of(), "run", "--config", file.toString())) {
      assertEquals(2, jar.awaitExit(Duration.ofSeconds(30)), jar.output());
      assertTrue(jar.output().contains("sqs.queueUrll: unknown key"), jar.output());
    }
  }

  @Test
  @DisplayName("bad usage (unknown role, unknown option) exits with code 2")
  void badUsage() throws Exception {
    try (JarProcess jar = JarProcess.start(Map.of(), "run", "--roles", "poller,chef")) {
      assertEquals(2, jar.awaitExit(Duration.ofSeconds(30)), jar.output());
      assertTrue(jar.output().contains("--roles"), jar.output());
    }
    try (JarProcess jar = JarProcess.start(Map.of(), "bench", "--no-such-option")) {
      assertEquals(2, jar.awaitExit(Duration.ofSeconds(30)), jar.output());
    }
  }
}
