package dev.llmworker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Http;
import dev.llmworker.support.JarProcess;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.task.SampleTasks;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** SIGTERM on the fat jar mid-run, against an SQS and an LLM that live outside it. */
class GracefulShutdownIT {
  private static final int TASKS = 1100;

  private static Map<String, String> env(SqsFixture sqs, LlmSimulator sim) {
    Map<String, String> env = new HashMap<>();
    env.put("LLMW_SQS_ENDPOINT", sqs.server.endpoint());
    env.put("LLMW_SQS_WAIT_TIME_SECONDS", "1");
    env.put("LLMW_SQS_VISIBILITY_TIMEOUT_SECONDS", "60");
    env.put("LLMW_PROVIDER_BASE_URL", sim.baseUrl());
    env.put("LLMW_PROVIDER_API_KEY_ENV", "none");
    env.put("LLMW_MONITOR_PORT", "0");
    env.put("LLMW_SHUTDOWN_GRACE_SECONDS", "20");
    return env;
  }

  private static Map<QueueAttributeName, String> attributes(SqsFixture sqs) {
    return sqs.sqs().getQueueAttributes(b -> b.queueUrl(sqs.queues.tasks()).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).join().attributes();
  }

  @Test
  @DisplayName("SIGTERM with 100 in flight and 1,000 queued: exit 0 within the grace period, unfinished messages "
      + "visible at once, and after a restart every task done exactly once")
  void sigtermMidRun() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (SqsFixture sqs = SqsFixture.start(60, 5)) {
      LlmSimulator sim = SqsFixture.await(LlmSimulator.start(vertx, SimulatorOptions.defaults()
          .withLatencyMs(1500).withJitterMs(500)));
      sqs.enqueue(TASKS, n -> SampleTasks.body("g-", n));
      long exitedAt;
      try (JarProcess jar = JarProcess.start(env(sqs, sim), "run")) {
        jar.awaitLine(l -> l.contains("dashboard: "), Duration.ofSeconds(60));
        Eventually.await(Duration.ofSeconds(30), () -> sim.stats().inFlight() >= 100 && sim.stats().okCount() >= 50,
            () -> "simulator: " + sim.stats().toJson().encode());
        long signalledAt = System.nanoTime();
        jar.terminate();
        assertEquals(0, jar.awaitExit(Duration.ofSeconds(30)), jar.output());
        exitedAt = System.nanoTime();
        assertTrue((exitedAt - signalledAt) / 1e9 < 20, "exceeded the grace period");
        assertTrue(jar.output().contains("shutdown: "), "no summary line:\n" + jar.output());
        assertTrue(jar.output().contains(", 0 cut short)"), "running tasks must finish within the grace period:\n"
            + jar.output());
      }
      Map<QueueAttributeName, String> after = attributes(sqs);
      assertEquals("0", after.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
          "unfinished messages must be visible at once, not after the visibility timeout: " + after);
      Map<String, Integer> lines = new HashMap<>();
      int stored = resultsCount(sqs, lines);
      assertEquals(TASKS - stored, Integer.parseInt(after.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
          "every task is either done or back in the queue");

      try (JarProcess second = JarProcess.start(env(sqs, sim), "run")) {
        Eventually.await(Duration.ofSeconds(120), () -> sim.stats().okCount() >= TASKS,
            () -> "simulator: " + sim.stats().toJson().encode());
        second.terminate();
        assertEquals(0, second.awaitExit(Duration.ofSeconds(30)), second.output());
      }
      resultsCount(sqs, lines);
      assertEquals(TASKS, lines.size(), "lost tasks");
      assertTrue(lines.values().stream().allMatch(n -> n == 1), "duplicate result lines");
      assertEquals(0, sim.stats().duplicateIds(), "an LLM call was repeated");
      assertEquals(0, sqs.depth(sqs.queues.dlq()));
      assertEquals(0, sqs.depth(sqs.queues.tasks()));
    } finally {
      SqsFixture.await(vertx.close());
    }
  }

  @Test
  @DisplayName("a second SIGTERM stops waiting: running tasks go back to SQS at once and the process exits 0")
  void secondSigterm() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (SqsFixture sqs = SqsFixture.start(60, 5)) {
      LlmSimulator sim = SqsFixture.await(LlmSimulator.start(vertx, SimulatorOptions.defaults().withLatencyMs(60_000)));
      sqs.enqueue(50, n -> SampleTasks.body("s-", n));
      String output;
      try (JarProcess jar = JarProcess.start(env(sqs, sim), "run")) {
        jar.awaitLine(l -> l.contains("dashboard: "), Duration.ofSeconds(60));
        Eventually.await(Duration.ofSeconds(30), () -> sim.stats().inFlight() >= 50, jar::output);
        long start = System.nanoTime();
        jar.terminate();
        jar.awaitLine(l -> l.contains("llm-worker: stopping"), Duration.ofSeconds(10));
        jar.terminate();
        assertEquals(0, jar.awaitExit(Duration.ofSeconds(15)), jar.output());
        assertTrue((System.nanoTime() - start) / 1e9 < 15, "did not hurry: " + jar.output());
        assertTrue(jar.output().contains("released 50 unfinished back to SQS (0 not started, 50 cut short)"),
            jar.output());
        output = jar.output();
      }
      Map<QueueAttributeName, String> after = attributes(sqs);
      assertEquals("50", after.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES), after + "\n" + output);
      assertEquals("0", after.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE), after.toString());
    } finally {
      SqsFixture.await(vertx.close());
    }
  }

  @Test
  @DisplayName("an idle node with its long poll open exits 0 within 2 s of SIGTERM (docker stop gives 10 s)")
  void idleNodeStopsAtOnce() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (SqsFixture sqs = SqsFixture.start(60, 5)) {
      LlmSimulator sim = SqsFixture.await(LlmSimulator.start(vertx, SimulatorOptions.defaults()));
      Map<String, String> env = env(sqs, sim);
      env.put("LLMW_SQS_WAIT_TIME_SECONDS", "20");
      try (JarProcess jar = JarProcess.start(env, "run")) {
        String dashboard = jar.awaitLine(l -> l.contains("dashboard: "), Duration.ofSeconds(60))
            .replaceAll(".*dashboard: ", "").trim();
        // workers have announced their slots: the poller has opened its long poll on the empty queue
        Eventually.await(Duration.ofSeconds(20), () -> {
          JsonObject stats = Http.jsonOrNull(dashboard + "api/stats");
          return stats != null && stats.getJsonObject("totals").getLong("capacity") > 0;
        }, jar::output);
        long signalledAt = System.nanoTime();
        jar.terminate();
        assertEquals(0, jar.awaitExit(Duration.ofSeconds(30)), jar.output());
        double seconds = (System.nanoTime() - signalledAt) / 1e9;
        assertTrue(seconds < 2.0, "an idle node took " + seconds + " s to stop:\n" + jar.output());
      }
    } finally {
      SqsFixture.await(vertx.close());
    }
  }

  /** Drains the results queue into {@code lines} (custom_id → count); returns how many lines it read. */
  private static int resultsCount(SqsFixture sqs, Map<String, Integer> lines) {
    int n = 0;
    for (Message m : sqs.drain(sqs.queues.results())) {
      lines.merge(new JsonObject(m.body()).getString("custom_id"), 1, Integer::sum);
      n++;
    }
    return n;
  }
}
