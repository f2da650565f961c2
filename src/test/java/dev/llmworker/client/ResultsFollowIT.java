package dev.llmworker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sqs.BulkSender;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.JarProcess;
import dev.llmworker.support.SqsFixture;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

/** {@code results --follow} as a process: keeps writing what comes, and SIGTERM ends it cleanly. */
class ResultsFollowIT {
  @TempDir
  Path dir;

  private static void send(SqsFixture sqs, int from, int count) throws InterruptedException {
    new BulkSender(sqs.sqs(), sqs.queues.results()).send(from, count, n -> ResultsCommandTest.success("f-" + n));
  }

  private static int lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  @Test
  @DisplayName("--follow writes results enqueued after it started; SIGTERM during a burst cuts the 20 s long "
      + "polls short, exits 0 with the summary, and no message whose line is in the file is left in the queue")
  void followsUntilTerminated() throws Exception {
    Path out = dir.resolve("results.jsonl");
    try (SqsFixture sqs = SqsFixture.start(5, 5);
        JarProcess follow = JarProcess.start(ResultsCrashIT.env(sqs, 20), "results", "--out", out.toString(),
            "--follow")) {
      follow.awaitLine(l -> l.contains("following until"), Duration.ofSeconds(60));
      send(sqs, 0, 500);
      Eventually.await(Duration.ofSeconds(60), () -> lines(out) == 500, follow::output);
      send(sqs, 500, 500);
      Eventually.await(Duration.ofSeconds(60), () -> lines(out) == 1000, follow::output);

      send(sqs, 1000, 300);
      long stopAt = System.nanoTime();
      follow.terminate();
      assertEquals(0, follow.awaitExit(Duration.ofSeconds(30)), follow.output());
      long stopMs = (System.nanoTime() - stopAt) / 1_000_000;
      assertTrue(stopMs < 15_000, "the stop waited out a long poll: " + stopMs + " ms");

      List<String> fileLines = Files.readAllLines(out);
      Set<String> inFile = ResultsCrashIT.idsOf(fileLines);
      assertEquals(fileLines.size(), inFile.size(), "an id twice");
      String summary = follow.awaitLine(l -> l.startsWith("wrote "), Duration.ofSeconds(1));
      assertTrue(summary.startsWith("wrote " + fileLines.size() + " results to " + out), summary);

      ResultsCrashIT.awaitNothingInFlight(sqs);
      Set<String> left = new HashSet<>();
      for (Message m : sqs.drain(sqs.queues.results())) {
        String id = new JsonObject(m.body()).getString("custom_id");
        assertTrue(!inFile.contains(id), id + " is in the file but its message was not deleted");
        left.add(id);
      }
      Set<String> all = new HashSet<>(inFile);
      all.addAll(left);
      assertEquals(1300, all.size(), "results lost");
    }
  }
}
