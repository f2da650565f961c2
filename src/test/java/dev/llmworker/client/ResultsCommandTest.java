package dev.llmworker.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sqs.BulkSender;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.task.ResultLine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code results} run in process against a real ElasticMQ, through the real AWS SDK. */
class ResultsCommandTest {
  @TempDir
  Path dir;

  private SqsFixture sqs;
  private Cli cli;
  private Path out;
  private Path errors;

  @BeforeEach
  void start() throws Exception {
    sqs = SqsFixture.start(5, 5);
    cli = new Cli(dir, new JsonObject().put("sqs", new JsonObject()
        .put("endpoint", sqs.server.endpoint())
        .put("queueUrl", sqs.queues.tasks())
        .put("resultsQueueUrl", sqs.queues.results())
        .put("dlqUrl", sqs.queues.dlq())
        .put("waitTimeSeconds", 1)
        .put("visibilityTimeoutSeconds", 5)));
    out = dir.resolve("results.jsonl");
    errors = dir.resolve("results.errors.jsonl");
  }

  @AfterEach
  void stop() {
    sqs.close();
  }

  static String success(String id) {
    return ResultLine.success(id, 200, "req-" + id, new JsonObject().put("choices", new JsonArray()),
        new ResultLine.Usage(9, 12), new ResultLine.Meta(1, "default", 40)).encode();
  }

  static String failure(String id) {
    return ResultLine.failure(id, "invalid_request", "HTTP 400 from the provider",
        new ResultLine.Meta(1, "default", 40)).encode();
  }

  /** A provider error that came back as a response, without an error object. */
  static String status500(String id) {
    return new JsonObject(success(id)).put("response", new JsonObject().put("status_code", 500)
        .put("request_id", "req-" + id).put("body", new JsonObject())).encode();
  }

  private Cli.Run results(String... args) {
    List<String> all = new ArrayList<>(List.of("results"));
    all.addAll(List.of(args));
    return cli.run(all.toArray(String[]::new));
  }

  private void send(List<String> bodies) throws InterruptedException {
    new BulkSender(sqs.sqs(), sqs.queues.results()).send(0, bodies.size(), bodies::get);
  }

  private static List<String> ids(Path file) throws Exception {
    List<String> ids = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      ids.add(new JsonObject(line).getString("custom_id"));
    }
    return ids;
  }

  private static void assertOnceEach(Set<String> expected, List<String> actual) {
    assertEquals(expected.size(), actual.size(), "lines (an id twice?)");
    assertEquals(expected, new HashSet<>(actual));
  }

  @Test
  @DisplayName("2,000 results with redelivered copies: each success once in the results file, each failure once "
      + "in results.errors.jsonl, queue empty; a second run over the same messages adds nothing")
  void drainsAndDedupes() throws Exception {
    List<String> bodies = new ArrayList<>();
    Set<String> successes = new HashSet<>();
    Set<String> failures = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      String id = "r-" + i;
      String body = i % 10 == 3 ? failure(id) : i % 50 == 7 ? status500(id) : success(id);
      (body.contains("\"error\":null") && !body.contains("\"status_code\":500") ? successes : failures).add(id);
      bodies.add(body);
      if (i % 25 == 0) {
        bodies.add(body); // the same message again, as SQS redelivers it
      }
    }
    assertEquals(1760, successes.size());
    send(bodies);

    Cli.Run first = results("--out", out.toString());

    assertEquals(0, first.exit(), first.err());
    assertOnceEach(successes, ids(out));
    assertOnceEach(failures, ids(errors));
    assertEquals(0, sqs.depth(sqs.queues.results()));
    assertTrue(first.out().startsWith("wrote 1760 results to " + out + " (240 errors to " + errors
        + "), skipped 80 duplicates, in "), first.out());

    byte[] resultsBefore = Files.readAllBytes(out);
    byte[] errorsBefore = Files.readAllBytes(errors);
    send(bodies);
    Cli.Run second = results("--out", out.toString());

    assertEquals(0, second.exit(), second.err());
    assertArrayEquals(resultsBefore, Files.readAllBytes(out));
    assertArrayEquals(errorsBefore, Files.readAllBytes(errors));
    assertTrue(second.out().startsWith("wrote 0 results to " + out + " (0 errors to " + errors
        + "), skipped 2080 duplicates"), second.out());
    assertEquals(0, sqs.depth(sqs.queues.results()));
  }

  @Test
  @DisplayName("appending to a file an interrupted run left: the torn last line is removed and said so, ids "
      + "already there are not written again, the torn line's result is written once")
  void appendsAfterTornLine() throws Exception {
    StringBuilder earlier = new StringBuilder();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      bodies.add(success("a-" + i));
      if (i < 100) {
        earlier.append(bodies.get(i)).append('\n');
      }
    }
    String torn = bodies.get(100).substring(0, 57);
    Files.writeString(out, earlier + torn);
    send(bodies);

    Cli.Run run = results("--out", out.toString());

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.err().contains(out + ": removed an incomplete last line (57 bytes) left by an interrupted run"),
        run.err());
    String after = Files.readString(out);
    assertTrue(after.startsWith(earlier.toString()), "the earlier lines are kept as they were");
    List<String> ids = ids(out);
    Set<String> expected = new HashSet<>();
    bodies.forEach(b -> expected.add(new JsonObject(b).getString("custom_id")));
    assertOnceEach(expected, ids);
    assertTrue(run.out().startsWith("wrote 50 results to " + out + " (0 errors to " + errors
        + "), skipped 100 duplicates"), run.out());
    assertEquals(0, sqs.depth(sqs.queues.results()));
  }

  @Test
  @DisplayName("a task that failed in an earlier run and now succeeded (redriven) goes to the results file; "
      + "failures already in the errors file are not repeated")
  void redrivenSuccess() throws Exception {
    Files.writeString(errors, failure("d-1") + "\n" + failure("d-2") + "\n");
    send(List.of(success("d-1"), failure("d-2"), failure("d-3")));

    Cli.Run run = results("--out", out.toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals(List.of("d-1"), ids(out));
    assertEquals(List.of("d-1", "d-2", "d-3"), ids(errors));
    assertTrue(run.out().startsWith("wrote 1 results to " + out + " (1 errors to " + errors
        + "), skipped 1 duplicates"), run.out());
    assertTrue(run.out().contains("1 of the results had failed before"), run.out());
  }

  @Test
  @DisplayName("a message that is not a result line is kept in the errors file as unreadable_result with its "
      + "body, and deleted from the queue; a body over several lines is written as one")
  void unreadableMessage() throws Exception {
    String pretty = new JsonObject(success("p-1")).encodePrettily();
    send(List.of("this is not json", "{\"custom_id\": 42}", pretty));

    Cli.Run run = results("--out", out.toString(), "--errors", dir.resolve("bad.jsonl").toString());

    assertEquals(0, run.exit(), run.err());
    List<String> lines = Files.readAllLines(dir.resolve("bad.jsonl"));
    assertEquals(2, lines.size());
    Set<String> raw = new HashSet<>();
    for (String line : lines) {
      JsonObject json = new JsonObject(line);
      assertEquals("unreadable_result", json.getJsonObject("error").getString("code"));
      assertTrue(json.containsKey("custom_id") && json.getValue("custom_id") == null, line);
      assertTrue(!json.getJsonObject("llmw").getString("message_id").isEmpty(), line);
      raw.add(json.getJsonObject("llmw").getString("raw_body"));
    }
    assertEquals(Set.of("this is not json", "{\"custom_id\": 42}"), raw);
    List<String> results = Files.readAllLines(out);
    assertEquals(1, results.size());
    assertEquals(new JsonObject(pretty), new JsonObject(results.get(0)));
    assertEquals(0, sqs.depth(sqs.queues.results()));
    assertTrue(run.out().contains("2 of the errors are unreadable messages"), run.out());
    assertTrue(Files.notExists(errors), "--errors replaces the default errors file");
  }

  @Test
  @DisplayName("with tasks still queued or running, the end says their results come later")
  void hintsAtPendingTasks() throws Exception {
    sqs.enqueue(3, n -> "{\"custom_id\":\"t-" + n + "\"}");
    sqs.sqs().receiveMessage(b -> b.queueUrl(sqs.queues.tasks()).maxNumberOfMessages(1).visibilityTimeout(60))
        .join();
    send(List.of(success("h-1")));

    Cli.Run run = results("--out", out.toString());

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.err().contains("the tasks queue still has 2 tasks waiting and 1 running: their results come "
        + "later (use --follow)"), run.err());
    assertEquals(List.of("h-1"), ids(out));
  }

  @Test
  @DisplayName("an empty queue ends the command without results and without the hint")
  void emptyQueue() throws Exception {
    Cli.Run run = results("--out", out.toString());

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().startsWith("wrote 0 results to " + out + " (0 errors to " + errors + "), skipped 0 "
        + "duplicates, in "), run.out());
    assertTrue(!run.err().contains("tasks queue"), run.err());
    assertEquals(0, Files.size(out));
  }

  @Test
  @DisplayName("a results file that cannot be written fails with exit 1 and a message naming it; nothing is "
      + "deleted from the queue")
  void unwritable() throws Exception {
    send(List.of(success("u-1")));
    Path missingDir = dir.resolve("missing").resolve("results.jsonl");

    Cli.Run run = results("--out", missingDir.toString());

    assertEquals(1, run.exit());
    assertTrue(run.err().contains("llm-worker: cannot open " + missingDir), run.err());
    assertEquals(1, sqs.depth(sqs.queues.results()));
  }

  @Test
  @DisplayName("an SQS that cannot be reached fails with exit 1 and names the endpoint")
  void unreachable() {
    String endpoint = sqs.server.endpoint();
    sqs.close();

    Cli.Run run = results("--out", out.toString());

    assertEquals(1, run.exit(), run.err());
    assertTrue(run.err().contains("llm-worker: SQS at " + endpoint), run.err());
    sqs = SqsFixture.start(5, 5); // for stop()
  }

  @Test
  @DisplayName("bad usage exits 2: --out missing, or --errors naming the --out file")
  void badUsage() {
    assertEquals(2, results().exit());
    Cli.Run same = results("--out", out.toString(), "--errors", out.toString());
    assertEquals(2, same.exit());
    assertTrue(same.err().contains("--errors must name another file than --out"), same.err());
  }

  @Test
  @DisplayName("the default errors file puts .errors before the extension")
  void defaultErrorsName() {
    assertEquals(Path.of("x", "results.errors.jsonl"), ResultsCommand.defaultErrorsFile(Path.of("x",
        "results.jsonl")));
    assertEquals(Path.of("out.errors"), ResultsCommand.defaultErrorsFile(Path.of("out")));
    assertEquals(Path.of("a.b.errors.jsonl"), ResultsCommand.defaultErrorsFile(Path.of("a.b.jsonl")));
  }
}
