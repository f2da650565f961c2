package dev.llmworker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.Main;
import dev.llmworker.app.Ports;
import dev.llmworker.support.SqsFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

/** {@code submit} in process, through picocli, against a real ElasticMQ and the real AWS SDK. */
class SubmitCommandTest {
  @TempDir
  Path dir;
  SqsFixture sqs;

  @BeforeEach
  void startSqs() {
    sqs = SqsFixture.start(30, 5);
  }

  @AfterEach
  void stopSqs() {
    sqs.close();
  }

  @Test
  @DisplayName("bad lines are reported by number and code and skipped; the good ones arrive byte for byte")
  void badLines() throws IOException {
    String oversize = task("big", "x".repeat(262_144));
    List<byte[]> lines = List.of(
        utf8(task("t-1", "first")),                                                          // 1 good
        utf8("{\"custom_id\": \"t-2\", \"method\": \"POST\", \"url\""),                        // 2 broken JSON
        utf8(task("t-1", "same id again")),                                                  // 3 duplicate of 1
        utf8(oversize),                                                                      // 4 too large
        utf8(task("t-5", "embed me").replace("/v1/chat/completions", "/v1/images/generations")), // 5 unsupported url
        utf8(task("t-6", "who am I?").replace("\"custom_id\": \"t-6\", ", "")),              // 6 no custom_id
        utf8("   "),                                                                         // 7 blank: skipped
        utf8(task("t-8", "¿Qué tal? 你好 👋")),                                               // 8 good
        task("t-9", "café").getBytes(StandardCharsets.ISO_8859_1),                           // 9 Latin-1, not UTF-8
        utf8(task("t-10", "not a character: \uFFFF")),                                      // 10 SQS refuses U+FFFF
        utf8(task("t-11", "elsewhere").replace("\"body\"", "\"provider\": \"nope\", \"body\"")), // 11 provider
        utf8(task("t-12", "last, with a CRLF line end") + "\r"));                            // 12 good
    Path file = write("bad.jsonl", lines);

    Cli.Run run = submit(file.toString());

    assertEquals(Main.EXIT_FAILURE, run.exit(), run.all());
    assertRejected(run, 2, "invalid_json");
    assertRejected(run, 3, "duplicate_custom_id");
    assertTrue(run.err().contains("custom_id \"t-1\" is already on line 1"), run.err());
    assertRejected(run, 4, "too_large");
    assertRejected(run, 5, "unsupported_url");
    assertRejected(run, 6, "missing_custom_id");
    assertRejected(run, 9, "invalid_utf8");
    assertRejected(run, 10, "bad_characters");
    assertRejected(run, 11, "unknown_provider");
    assertFalse(run.err().contains("line 7:"), "a blank line is not an error: " + run.err());
    assertFalse(run.err().contains("line 1:") || run.err().contains("line 8:") || run.err().contains("line 12:"),
        run.err());
    List<String> good = List.of(task("t-1", "first"), task("t-8", "¿Qué tal? 你好 👋"),
        task("t-12", "last, with a CRLF line end"));
    assertEquals(good.stream().sorted().toList(), sortedBodies(sqs.drain(sqs.queues.tasks())));
    assertTrue(run.out().contains("sent 3 of 11 lines to " + sqs.queues.tasks()), run.out());
    assertTrue(run.out().contains("rejected 8\n"), run.out());
    assertTrue(run.out().contains("rejected lines: 2-6, 9-11 (0 of them refused by SQS)"), run.out());
  }

  @Test
  @DisplayName("a custom_id with a control character (C0, DEL, C1) and a model named \"..\" are refused at their "
      + "line with the reason; printable ids in any script are sent")
  void unsendableIdsAndModels() throws IOException {
    List<String> lines = List.of(
        task("t-1", "first"),                                                   // 1 good
        task("bell\\u0007", "ring"),                                           // 2 C0 (escaped in the JSON)
        task("t-3\\nX-Injected: 1", "a header of its own"),                    // 3 newline
        task("del\\u007f", "delete"),                                          // 4 DEL
        task("csi\\u009b2J", "clear the screen"),                              // 5 C1
        task("t-6", "up").replace("gpt-4o-mini", ".."),                         // 6 model ".."
        task("café 你好 #7", "printable"));                                     // 7 good
    Path file = write("ids.jsonl", lines.stream().map(SubmitCommandTest::utf8).toList());

    Cli.Run run = submit(file.toString());

    assertEquals(Main.EXIT_FAILURE, run.exit(), run.all());
    assertRejected(run, 2, "bad_custom_id");
    assertTrue(run.err().contains("line 2: bad_custom_id: \"custom_id\" contains the control character U+0007 at "
        + "position 5; ids must be printable text"), run.err());
    assertRejected(run, 3, "bad_custom_id");
    assertRejected(run, 4, "bad_custom_id");
    assertRejected(run, 5, "bad_custom_id");
    assertRejected(run, 6, "bad_model");
    assertEquals(List.of(lines.get(0), lines.get(6)).stream().sorted().toList(),
        sortedBodies(sqs.drain(sqs.queues.tasks())));
  }

  @Test
  @DisplayName("a realistic OpenAI Batch API input file is accepted whole and every line arrives unchanged")
  void openAiBatchFile() throws IOException, URISyntaxException {
    Path file = Path.of(Objects.requireNonNull(getClass().getResource("/batch/openai-batch-input.jsonl")).toURI());
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);

    Cli.Run run = submit(file.toString());

    assertEquals(Main.EXIT_OK, run.exit(), run.all());
    assertEquals(30, lines.size());
    assertEquals(lines.stream().sorted().toList(), sortedBodies(sqs.drain(sqs.queues.tasks())));
    assertTrue(run.out().startsWith("submitting " + file + " to " + sqs.queues.tasks() + " at "
        + sqs.server.endpoint()), run.out());
    assertTrue(run.out().contains("sent 30 of 30 lines"), run.out());
    assertTrue(run.out().contains("rejected 0"), run.out());
    assertFalse(run.err().contains("line "), run.err());
  }

  @Test
  @DisplayName("an unknown --provider is a usage error naming the option; nothing is sent")
  void unknownProvider() throws IOException {
    Path file = write("one.jsonl", List.of(utf8(task("t-1", "hi"))));

    Cli.Run run = submit(file.toString(), "--provider", "nope");

    assertEquals(Main.EXIT_USAGE, run.exit(), run.all());
    assertTrue(run.err().contains("--provider nope: not a configured provider; configured: default, sim"), run.err());
    assertEquals(0, sqs.depth(sqs.queues.tasks()));
  }

  @Test
  @DisplayName("--provider sets \"provider\" in every task, replacing one the line had, and changes nothing else")
  void knownProvider() throws IOException {
    List<String> lines = List.of(task("t-1", "hi"),
        task("t-2", "again").replace("\"body\"", "\"provider\": \"default\", \"body\""),
        task("t-3", "ünïcödé ✓"));
    Path file = write("three.jsonl", lines.stream().map(SubmitCommandTest::utf8).toList());

    Cli.Run run = submit(file.toString(), "--provider", "sim");

    assertEquals(Main.EXIT_OK, run.exit(), run.all());
    List<Message> messages = sqs.drain(sqs.queues.tasks());
    assertEquals(3, messages.size());
    for (Message m : messages) {
      JsonObject task = new JsonObject(m.body());
      assertEquals("sim", task.getString("provider"), m.body());
      String id = task.getString("custom_id");
      JsonObject original = new JsonObject(lines.get(Integer.parseInt(id.substring(2)) - 1));
      original.remove("provider");
      task.remove("provider");
      assertEquals(original, task);
    }
  }

  @Test
  @DisplayName("20,000 lines become exactly 20,000 messages")
  void manyLines() throws IOException {
    int count = 20_000;
    Path file = dir.resolve("many.jsonl");
    Files.write(file, IntStream.rangeClosed(1, count).mapToObj(i -> task("t-" + i, "n" + i)).toList(),
        StandardCharsets.UTF_8);

    Cli.Run run = submit(file.toString());

    assertEquals(Main.EXIT_OK, run.exit(), run.all());
    assertTrue(run.out().contains("sent 20,000 of 20,000 lines"), run.out());
    assertEquals(count, sqs.depth(sqs.queues.tasks()));
  }

  @Test
  @DisplayName("a missing file is a usage error naming the file")
  void missingFile() throws IOException {
    Path file = dir.resolve("nowhere.jsonl");

    Cli.Run run = submit(file.toString());

    assertEquals(Main.EXIT_USAGE, run.exit(), run.all());
    assertTrue(run.err().contains(file + ": no such file"), run.err());
  }

  @Test
  @DisplayName("with no SQS configured and no embedded SQS running, submit fails saying how to fix it")
  void nothingToSendTo() throws IOException {
    Path file = write("one.jsonl", List.of(utf8(task("t-1", "hi"))));
    Cli.Run run = new Cli(dir, new JsonObject().put("sqs", new JsonObject()
        .put("embedded", new JsonObject().put("port", Ports.free(1).get(0))))).run("submit", file.toString());

    assertEquals(Main.EXIT_FAILURE, run.exit(), run.all());
    assertTrue(run.err().contains("llm-worker: no SQS is configured (sqs.endpoint, sqs.queueUrl) and no embedded SQS"),
        run.err());
  }

  @Test
  @DisplayName("--queue-url naming a queue that does not exist is a usage error naming the option")
  void noSuchQueue() throws IOException {
    Path file = write("one.jsonl", List.of(utf8(task("t-1", "hi"))));

    Cli.Run run = submit(file.toString(), "--queue-url", sqs.server.endpoint() + "/000000000000/no-such-queue");

    assertEquals(Main.EXIT_USAGE, run.exit(), run.all());
    assertTrue(run.err().contains("--queue-url: no queue " + sqs.server.endpoint() + "/000000000000/no-such-queue"),
        run.err());
  }

  /** An OpenAI Batch API input line in the documented layout. */
  static String task(String id, String prompt) {
    return "{\"custom_id\": \"" + id + "\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", \"body\": "
        + new JsonObject().put("model", "gpt-4o-mini").put("messages", new JsonArray().add(new JsonObject()
            .put("role", "user").put("content", prompt))).put("max_tokens", 16).encode() + "}";
  }

  private Cli.Run submit(String... args) {
    Cli cli = new Cli(dir, new JsonObject()
        .put("sqs", new JsonObject().put("endpoint", sqs.server.endpoint()))
        .put("providers", new JsonArray().add(new JsonObject().put("name", "sim").put("type", "openai")
            .put("baseUrl", "http://127.0.0.1:8089/v1"))));
    List<String> all = new ArrayList<>(List.of("submit"));
    all.addAll(List.of(args));
    return cli.run(all.toArray(String[]::new));
  }

  private static void assertRejected(Cli.Run run, int line, String code) {
    assertTrue(run.err().contains("line " + line + ": " + code + ": "), "expected line " + line + " rejected as "
        + code + ":\n" + run.err());
  }

  private static List<String> sortedBodies(List<Message> messages) {
    return messages.stream().map(Message::body).sorted().collect(Collectors.toList());
  }

  private Path write(String name, List<byte[]> lines) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (byte[] line : lines) {
      bytes.write(line);
      bytes.write('\n');
    }
    Path file = dir.resolve(name);
    Files.write(file, bytes.toByteArray());
    return file;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
