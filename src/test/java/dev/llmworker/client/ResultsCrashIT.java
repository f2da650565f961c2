package dev.llmworker.client;

import dev.llmworker.sqs.QueueDepth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sqs.BulkSender;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.JarProcess;
import dev.llmworker.support.SqsFixture;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code results} killed with SIGKILL mid-drain, then run again: every result once, none lost. */
class ResultsCrashIT {
  private static final int RESULTS = 20_000;
  private static final int VISIBILITY_SECONDS = 5;

  @TempDir
  Path dir;

  static Map<String, String> env(SqsFixture sqs, int waitSeconds) {
    Map<String, String> env = new HashMap<>();
    env.put("LLMW_SQS_ENDPOINT", sqs.server.endpoint());
    env.put("LLMW_SQS_QUEUE_URL", sqs.queues.tasks());
    env.put("LLMW_SQS_RESULTS_QUEUE_URL", sqs.queues.results());
    env.put("LLMW_SQS_DLQ_URL", sqs.queues.dlq());
    env.put("LLMW_SQS_WAIT_TIME_SECONDS", Integer.toString(waitSeconds));
    // short, so that what the killed process held comes back soon
    env.put("LLMW_SQS_VISIBILITY_TIMEOUT_SECONDS", Integer.toString(VISIBILITY_SECONDS));
    return env;
  }

  /** A result line of about 1 KB, as a chat completion's result is. */
  static String body(int n) {
    return ResultsCommandTest.success("k-" + n).replace("\"choices\":[]",
        "\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"" + "lorem ipsum ".repeat(70) + "\"}}]");
  }

  static void awaitNothingInFlight(SqsFixture sqs) {
    Eventually.await(Duration.ofSeconds(VISIBILITY_SECONDS + 30),
        () -> QueueDepth.fetch(sqs.sqs(), sqs.queues.results()).join().inFlight() == 0, () -> "results in flight");
  }

  @Test
  @DisplayName("kill -9 while draining 20,000 results, then run again: exactly 20,000 lines, each custom_id "
      + "once, every line whole JSON, the queue empty")
  void killAndRerun() throws Exception {
    Path out = dir.resolve("results.jsonl");
    try (SqsFixture sqs = SqsFixture.start(VISIBILITY_SECONDS, 5)) {
      new BulkSender(sqs.sqs(), sqs.queues.results()).send(0, RESULTS, ResultsCrashIT::body);
      long lineBytes = body(0).length() + 1;
      try (JarProcess first = JarProcess.start(env(sqs, 1), "results", "--out", out.toString())) {
        Eventually.await(Duration.ofSeconds(120), () -> size(out) >= 3_000 * lineBytes, first::output);
        first.kill();
        first.awaitExit(Duration.ofSeconds(10));
      }
      List<String> atKill = wholeLines(out);
      assertTrue(atKill.size() < RESULTS, "killed too late to test anything: " + atKill.size() + " lines");
      // a kill inside a write leaves a torn line; make sure there is one, of a result not yet in the file
      Set<String> written = idsOf(atKill);
      int missing = 0;
      while (written.contains("k-" + missing)) {
        missing++;
      }
      Files.writeString(out, body(missing).substring(0, 300), StandardOpenOption.APPEND);
      awaitNothingInFlight(sqs);

      try (JarProcess second = JarProcess.start(env(sqs, 1), "results", "--out", out.toString())) {
        assertEquals(0, second.awaitExit(Duration.ofSeconds(240)), second.output());
        assertTrue(second.output().contains("removed an incomplete last line"), second.output());
        assertTrue(second.output().contains("wrote "), second.output());
      }

      String text = Files.readString(out, StandardCharsets.UTF_8);
      assertTrue(text.endsWith("\n"));
      List<String> lines = List.of(text.split("\n"));
      assertEquals(RESULTS, lines.size(), "lines");
      Set<String> ids = idsOf(lines);
      assertEquals(RESULTS, ids.size(), "distinct custom_ids");
      for (int n = 0; n < RESULTS; n++) {
        assertTrue(ids.contains("k-" + n), "missing k-" + n);
      }
      assertEquals(0, sqs.depth(sqs.queues.results()));
    }
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  /** The lines that end with a newline (a torn last one is left out). */
  private static List<String> wholeLines(Path file) throws java.io.IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return List.of(text.substring(0, text.lastIndexOf('\n') + 1).split("\n"));
  }

  /** Every line must parse as a whole JSON object. */
  static Set<String> idsOf(List<String> lines) {
    Set<String> ids = new HashSet<>();
    for (String line : lines) {
      ids.add(new JsonObject(line).getString("custom_id"));
    }
    return ids;
  }
}
