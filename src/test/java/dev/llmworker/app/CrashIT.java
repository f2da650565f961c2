package dev.llmworker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.JarProcess;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.task.SampleTasks;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** kill -9 of a node mid-run, then a new node: nothing lost, duplicates bounded by what was in flight. */
class CrashIT {
  private static final int TASKS = 2000;

  private static Map<String, String> env(SqsFixture sqs, LlmSimulator sim) {
    Map<String, String> env = new HashMap<>();
    env.put("LLMW_SQS_ENDPOINT", sqs.server.endpoint());
    env.put("LLMW_SQS_WAIT_TIME_SECONDS", "1");
    // short, so that the messages the killed node held come back quickly
    env.put("LLMW_SQS_VISIBILITY_TIMEOUT_SECONDS", "5");
    env.put("LLMW_PROVIDER_BASE_URL", sim.baseUrl());
    env.put("LLMW_PROVIDER_API_KEY_ENV", "none");
    env.put("LLMW_MONITOR_PORT", "0");
    env.put("LLMW_WORKER_INSTANCES", "2");
    env.put("LLMW_WORKER_CONCURRENCY", "25");
    return env;
  }

  private static long inFlight(String monitor) throws Exception {
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(monitor + "api/stats")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return new JsonObject(body).getJsonObject("totals").getLong("in_flight");
  }

  @Test
  @DisplayName("kill -9 mid-run and start a new node: all 2,000 results, 0 lost, duplicate LLM calls at most the "
      + "tasks in flight at the kill")
  void killAndRestart() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (SqsFixture sqs = SqsFixture.start(5, 5)) {
      LlmSimulator sim = SqsFixture.await(LlmSimulator.start(vertx, SimulatorOptions.defaults().withLatencyMs(400)));
      sqs.enqueue(TASKS, n -> SampleTasks.body("c-", n));
      long inFlightAtKill;
      try (JarProcess first = JarProcess.start(env(sqs, sim), "run")) {
        String monitor = first.awaitLine(l -> l.contains("dashboard: "), Duration.ofSeconds(60))
            .replaceAll(".*dashboard: ", "").trim();
        Eventually.await(Duration.ofSeconds(60), () -> sim.stats().okCount() >= 400, first::output);
        // one receive (10 messages) may land between this read and the kill
        inFlightAtKill = inFlight(monitor) + 10;
        first.kill();
        first.awaitExit(Duration.ofSeconds(10));
      }
      Map<String, Integer> lines = new HashMap<>();
      try (JarProcess second = JarProcess.start(env(sqs, sim), "run")) {
        Eventually.await(Duration.ofSeconds(180), () -> {
          for (Message m : sqs.drain(sqs.queues.results())) {
            lines.merge(new JsonObject(m.body()).getString("custom_id"), 1, Integer::sum);
          }
          return lines.size() >= TASKS;
        }, () -> lines.size() + " results; " + second.output());
        second.terminate();
        assertEquals(0, second.awaitExit(Duration.ofSeconds(30)), second.output());
      }
      assertEquals(TASKS, lines.size(), "lost tasks");
      long duplicateCalls = 0;
      for (int n = 0; n < TASKS; n++) {
        duplicateCalls += Math.max(0, sim.stats().countFor("c-" + n) - 1);
      }
      assertTrue(duplicateCalls <= inFlightAtKill,
          duplicateCalls + " repeated LLM calls, but only " + inFlightAtKill + " tasks were in flight at the kill");
      assertEquals(0, sqs.depth(sqs.queues.tasks()));
      assertEquals(0, sqs.depth(sqs.queues.dlq()));
    } finally {
      SqsFixture.await(vertx.close());
    }
  }
}
