package dev.llmworker.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.store.EmbeddedS3;
import dev.llmworker.store.ObjectStore;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Http;
import dev.llmworker.support.JarProcess;
import dev.llmworker.support.OpenAiApi;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.TestTasks;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: kill -9 of the node running a batch, mid-run, then a new node on the same SQS and store (both started
 * here, so both outlive the node): the batch completes with every custom_id once and exact counts, and the LLM was
 * called again at most for what the dead node had in flight.
 */
class BatchCrashIT {
  private static final String TOKEN = "batch-crash-it-api-token";
  private static final String BUCKET = "batch-crash-it";
  private static final int LINES = 1_500;
  private static final int INSTANCES = 1;
  private static final int CONCURRENCY = 20;

  @TempDir
  Path dir;

  private static Map<String, String> env(SqsFixture sqs, LlmSimulator sim, EmbeddedS3 s3) {
    Map<String, String> env = new HashMap<>();
    env.put("LLMW_SQS_ENDPOINT", sqs.server.endpoint());
    env.put("LLMW_SQS_WAIT_TIME_SECONDS", "1");
    // short, so that the tasks the killed node held come back quickly
    env.put("LLMW_SQS_VISIBILITY_TIMEOUT_SECONDS", "5");
    env.put("LLMW_STORE_ENDPOINT", s3.endpoint());
    env.put("LLMW_STORE_BUCKET", BUCKET);
    env.put("LLMW_API_TOKENS", TOKEN);
    env.put("LLMW_PROVIDER_BASE_URL", sim.baseUrl());
    env.put("LLMW_PROVIDER_API_KEY_ENV", "none");
    env.put("LLMW_MONITOR_PORT", "0");
    env.put("LLMW_WORKER_INSTANCES", String.valueOf(INSTANCES));
    env.put("LLMW_WORKER_CONCURRENCY", String.valueOf(CONCURRENCY));
    return env;
  }

  private static String monitorUrl(JarProcess node) {
    return node.awaitLine(l -> l.contains("dashboard: "), Duration.ofSeconds(90)).replaceAll(".*dashboard: ", "")
        .trim();
  }

  private static String lines() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < LINES; i++) {
      out.append(TestTasks.chat("k-" + i, "hello " + i)).append('\n');
    }
    return out.toString();
  }

  private static long completed(JsonObject batch) {
    JsonObject counts = batch.getJsonObject("request_counts");
    return counts == null ? 0 : counts.getLong("completed", 0L);
  }

  /** Why lines are missing: their calls, the queues, and the batch's parts left in the store a little later. */
  private static String missing(Map<String, JsonObject> output, LlmSimulator sim, SqsFixture sqs, ObjectStore admin,
      String id) {
    StringBuilder out = new StringBuilder("missing from the output:");
    for (int i = 0; i < LINES; i++) {
      if (!output.containsKey("k-" + i)) {
        out.append(" k-").append(i).append(" (").append(sim.stats().countFor("k-" + i)).append(" calls)");
      }
    }
    long repeated = 0;
    for (int i = 0; i < LINES; i++) {
      repeated += Math.max(0, sim.stats().countFor("k-" + i) - 1);
    }
    out.append("; lines called more than once: ").append(repeated);
    out.append("; queues: tasks ").append(sqs.depth(sqs.queues.tasks())).append(", dlq ")
        .append(sqs.depth(sqs.queues.dlq())).append(", batch results ").append(sqs.depth(sqs.queues.batchResults()));
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    java.util.List<ObjectStore.Entry> parts = java.util.List.of();
    while (System.nanoTime() < until && parts.isEmpty()) { // a part stored after the batch ended
      parts = SqsFixture.await(admin.list("batches/parts/" + id + "/"));
      java.util.concurrent.locks.LockSupport.parkNanos(100_000_000); // poll interval
    }
    return out.append("; parts after the end: ").append(parts).toString();
  }

  @Test
  @DisplayName("kill -9 of the node at 20-80% of a 1,500-line batch, then a new node: completed, each custom_id "
      + "once with a 200, counts exact, repeated LLM calls at most what was in flight at the kill")
  void killAndRestart() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (EmbeddedS3 s3 = EmbeddedS3.start("127.0.0.1", 0, dir.resolve("s3"));
        SqsFixture sqs = SqsFixture.start(5, 5)) {
      ObjectStore admin = ObjectStore.open(s3.endpoint(), "us-east-1", BUCKET, "", vertx.getOrCreateContext());
      SqsFixture.await(admin.ensureBucket(true));
      // 100 ms a call over 20 slots: about 200 lines a second, so the batch runs for several seconds
      LlmSimulator sim = SqsFixture.await(LlmSimulator.start(vertx, SimulatorOptions.defaults().withLatencyMs(100)));
      String id;
      long inFlightAtKill;
      long completedAtKill;
      try (JarProcess first = JarProcess.start(env(sqs, sim, s3), "run")) {
        String monitor = monitorUrl(first);
        OpenAiApi api = new OpenAiApi(monitor + "v1/", TOKEN);
        id = api.createBatch(lines(), "/v1/chat/completions", null).getString("id");
        JsonObject[] last = {null};
        Eventually.await(Duration.ofSeconds(120), () -> completed(last[0] = api.batch(id)) >= LINES / 5,
            () -> "batch " + (last[0] == null ? null : last[0].encode()) + "\n" + first.output());
        completedAtKill = completed(last[0]);
        assertTrue(completedAtKill <= LINES * 4 / 5, "the batch ran past 80% before it was seen at 20%: "
            + last[0].encode());
        // tasks received and not yet settled (calls under way, results sent but the task not yet deleted, tasks
        // received ahead of a free slot); one more receive of 10 may land between this read and the kill
        inFlightAtKill = Http.jsonOrNull(monitor + "api/stats", null).getJsonObject("totals")
            .getLong("in_flight", 0L) + 10;
        first.kill();
        first.awaitExit(Duration.ofSeconds(10));
        Files.writeString(Path.of("target", "batch-crash-it-first.log"), first.output());
      }
      long callsAtKill = sim.stats().requests();
      try (JarProcess second = JarProcess.start(env(sqs, sim, s3), "run")) {
        OpenAiApi api = new OpenAiApi(monitorUrl(second) + "v1/", TOKEN);
        // result lines the dead node's collector had received but not stored stay invisible for its visibility
        // timeout (120 s) before they come again: the deadline allows for that
        JsonObject done;
        try {
          done = api.awaitStatus(id, Duration.ofSeconds(300), "completed", "failed", "expired", "cancelled");
        } finally {
          Files.writeString(Path.of("target", "batch-crash-it-second.log"), second.output());
        }
        assertEquals("completed", done.getString("status"), done.encode());
        Map<String, JsonObject> output = new HashMap<>();
        for (String line : api.content(done.getString("output_file_id")).split("\n")) {
          if (!line.isBlank()) {
            JsonObject o = new JsonObject(line);
            assertNull(output.put(o.getString("custom_id"), o), "custom_id twice: " + o.getString("custom_id"));
          }
        }
        assertEquals(new JsonObject().put("total", LINES).put("completed", LINES).put("failed", 0),
            done.getJsonObject("request_counts"), () -> done.encode() + "\n" + missing(output, sim, sqs, admin, id));
        assertNull(done.getString("error_file_id"), done.encode());
        assertEquals(LINES, output.size(), "output lines");
        for (int i = 0; i < LINES; i++) {
          JsonObject line = output.get("k-" + i);
          assertTrue(line != null, "k-" + i + " missing from the output");
          assertEquals(200, line.getJsonObject("response").getInteger("status_code"), line.encode());
        }
        // a task the dead node held may come again after the batch completed (it ran twice), and so may results the
        // dead node's collector had received (hidden for 30 s): redeliveries of lines already in the batch's files,
        // which this node settles and its collector drops without a part. It must still run while the queues drain.
        Eventually.await(Duration.ofSeconds(90), () -> sqs.depth(sqs.queues.tasks()) == 0
            && sqs.depth(sqs.queues.batchResults()) == 0,
            () -> "left: tasks " + sqs.depth(sqs.queues.tasks()) + ", batch results "
                + sqs.depth(sqs.queues.batchResults()));
        assertEquals(0, sqs.depth(sqs.queues.dlq()), "dead-lettered");
        // SQS delivers at least once: a task whose call was under way at the kill, or whose result was sent but whose
        // message was not yet deleted, comes back after its visibility timeout and is called again. Those are the
        // tasks in flight at the kill; anything more would be work lost and redone (or a batch line run twice).
        long calls = sim.stats().requests();
        assertTrue(calls <= LINES + inFlightAtKill, calls + " LLM calls for " + LINES + " lines, but only "
            + inFlightAtKill + " tasks were in flight at the kill (" + callsAtKill + " calls then, " + completedAtKill
            + " lines collected)");
        for (int i = 0; i < LINES; i++) {
          assertTrue(sim.stats().okCountFor("k-" + i) >= 1, "k-" + i + " never answered by the simulator");
        }
        assertEquals(List.of(), SqsFixture.await(admin.list("batches/parts/" + id + "/")), "parts left after the end");
      }
      SqsFixture.await(sim.close());
      admin.close();
    } finally {
      SqsFixture.await(vertx.close());
    }
  }
}
