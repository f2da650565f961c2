package dev.llmworker.batchcli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.Main;
import dev.llmworker.client.Cli;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch commands against a real node in this JVM: the Files and Batches API on, the built-in LLM simulator
 * behind it over HTTP, ElasticMQ for the queues, the embedded store in a temporary directory.
 */
class BatchCliTest {
  private static final String TOKEN = "batch-cli-test-token-1";
  @TempDir
  Path dir;
  private final Stack stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));
  private String url;

  @BeforeEach
  void startNode() {
    Assumptions.assumeTrue(System.getenv("LLMW_API_TOKEN") == null, "the tests give the token in the config file");
    url = stack.startNode(json -> json.put("api", new JsonObject().put("tokens", new JsonArray().add(TOKEN)))
        .put("store", new JsonObject().put("embedded", new JsonObject().put("dir", dir.resolve("store").toString()))))
        .monitorUrl();
  }

  @AfterEach
  void stopNode() {
    stack.close();
  }

  private Cli cli(String token) {
    return new Cli(dir, new JsonObject().put("api", new JsonObject().put("tokens", new JsonArray().add(token))));
  }

  private Cli.Run batch(String... args) {
    return withUrl(cli(TOKEN), args);
  }

  private Cli.Run withUrl(Cli cli, String... args) {
    List<String> command = new ArrayList<>(List.of("batch"));
    command.addAll(List.of(args));
    command.addAll(List.of("--url", url));
    return cli.run(command.toArray(String[]::new));
  }

  private Path input(String name, List<String> lines) throws IOException {
    return Files.write(dir.resolve(name), lines);
  }

  static List<String> chatLines(int count) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(TestTasks.chat("req-" + i, "question " + i));
    }
    return lines;
  }

  @Test
  @DisplayName("a wrong token: exit 1 with the API's own message, the token nowhere in the output")
  void wrongToken() throws IOException {
    Path in = input("in.jsonl", chatLines(3));
    String wrong = "not-the-right-token-42";
    for (String[] args : new String[][] {{"list"}, {"create", in.toString(), "--endpoint", "/v1/chat/completions"}}) {
      Cli.Run run = withUrl(cli(wrong), args);
      assertEquals(Main.EXIT_FAILURE, run.exit(), run.all());
      assertTrue(run.err().contains("llm-worker: error: Incorrect API key provided"), run.all());
      assertFalse(run.all().contains(wrong) || run.all().contains(TOKEN), run.all());
      assertEquals("", run.out(), run.all());
    }
  }

  /** custom_id → its line, failing on an id seen twice. */
  private static Map<String, JsonObject> byId(Path file) throws IOException {
    Map<String, JsonObject> lines = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      JsonObject o = new JsonObject(line);
      assertNull(lines.put(o.getString("custom_id"), o), "custom_id twice in " + file + ": "
          + o.getString("custom_id"));
    }
    return lines;
  }

  private JsonObject json(String id) {
    Cli.Run get = batch("get", id, "--json");
    assertEquals(0, get.exit(), get.all());
    return new JsonObject(get.out());
  }

  @Test
  @DisplayName("create --wait on 200 lines: the id alone on stdout, exit 0, every custom_id once in --out with a 200 "
      + "answer and no error file; list shows it, get --json says completed, download writes the same lines")
  void createWaitListGetDownload() throws IOException {
    Path in = input("in.jsonl", chatLines(200));
    Path out = dir.resolve("answers.jsonl");
    Path errors = dir.resolve("failures.jsonl");

    Cli.Run create = batch("create", in.toString(), "--endpoint", "/v1/chat/completions", "--wait", "--out",
        out.toString(), "--errors", errors.toString(), "--metadata", "job=cli-test");

    assertEquals(0, create.exit(), create.all());
    String id = create.out().trim();
    assertTrue(id.startsWith("batch_") && create.out().equals(id + "\n"), create.all());
    assertTrue(create.err().contains("batch " + id + " completed: 200 completed, 0 failed of 200 requests"),
        create.all());
    assertTrue(create.err().contains("wrote output " + out + " (200 lines)"), create.all());
    assertTrue(create.err().contains("no error file (no request failed)"), create.all());
    Map<String, JsonObject> answers = byId(out);
    assertEquals(200, answers.size());
    for (int i = 0; i < 200; i++) {
      JsonObject line = answers.get("req-" + i);
      assertTrue(line != null, "req-" + i + " missing from the output");
      assertEquals(200, line.getJsonObject("response").getInteger("status_code"), line.encode());
    }
    assertFalse(Files.exists(errors), "an error file for a batch without failures");

    Cli.Run list = batch("list");
    assertEquals(0, list.exit(), list.all());
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith(id) && l.contains("completed")
        && l.contains("/v1/chat/completions") && l.contains("200/0/200")), list.all());

    JsonObject got = json(id);
    assertEquals("completed", got.getString("status"), got.encode());
    assertEquals("cli-test", got.getJsonObject("metadata").getString("job"));
    Cli.Run summary = batch("get", id);
    assertTrue(summary.out().startsWith(id + "  completed\n"), summary.all());
    assertTrue(summary.out().contains("requests     200 completed, 0 failed, 200 total"), summary.all());

    Path again = dir.resolve("again.jsonl");
    Cli.Run download = batch("download", id, "--out", again.toString(), "--errors",
        dir.resolve("again.errors.jsonl").toString());
    assertEquals(0, download.exit(), download.all());
    assertEquals("wrote output " + again + " (200 lines)\nno error file (no request failed)\n", download.out());
    assertEquals(Files.readString(out), Files.readString(again));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".part")).toList(), "temporary files left");
    }
  }

  @Test
  @DisplayName("create --wait without --out / --errors: in.output.jsonl and in.errors.jsonl beside the input, the "
      + "provider's refusals in the error file, exit 0 (the batch completed)")
  void defaultNamesAndErrorFile() throws IOException {
    List<String> lines = chatLines(20);
    for (int i = 0; i < 20; i += 5) {
      lines.set(i, TestTasks.chat("req-" + i, "refuse [[sim:status=400]]"));
    }
    Path in = input("mixed.jsonl", lines);

    Cli.Run create = batch("create", in.toString(), "--endpoint", "/v1/chat/completions", "--wait");

    assertEquals(0, create.exit(), create.all());
    assertTrue(create.err().contains("16 completed, 4 failed of 20 requests"), create.all());
    Map<String, JsonObject> answers = byId(dir.resolve("mixed.output.jsonl"));
    Map<String, JsonObject> failures = byId(dir.resolve("mixed.errors.jsonl"));
    assertEquals(Set.of("req-0", "req-5", "req-10", "req-15"), failures.keySet());
    assertEquals(16, answers.size());
    assertTrue(create.err().contains("wrote errors " + dir.resolve("mixed.errors.jsonl") + " (4 lines)"),
        create.all());
  }

  @Test
  @DisplayName("a file with invalid lines: create --wait exits 1 printing 'line N: code: message' and writes no "
      + "file; download says the batch failed (exit 1); list pages newest first")
  void invalidFile() throws IOException {
    List<String> lines = chatLines(5);
    lines.set(1, "{not json");
    lines.set(3, new JsonObject(lines.get(3)).put("url", "/chat/completions").encode());
    Path in = input("bad.jsonl", lines);

    Cli.Run create = batch("create", in.toString(), "--endpoint", "/v1/chat/completions", "--wait");

    assertEquals(Main.EXIT_FAILURE, create.exit(), create.all());
    String id = create.out().trim();
    assertTrue(create.err().contains("batch " + id + " failed: the input file was refused (2 errors):"),
        create.all());
    assertTrue(create.err().lines().anyMatch(l -> l.startsWith("line 2: ")), create.all());
    assertTrue(create.err().lines().anyMatch(l -> l.startsWith("line 4: mismatched_url: ")), create.all());
    assertFalse(Files.exists(dir.resolve("bad.output.jsonl")) || Files.exists(dir.resolve("bad.errors.jsonl")),
        create.all());

    Cli.Run download = batch("download", id, "--out", dir.resolve("o.jsonl").toString(), "--errors",
        dir.resolve("e.jsonl").toString());
    assertEquals(Main.EXIT_FAILURE, download.exit(), download.all());
    assertTrue(download.err().contains("batch " + id + " is failed: no output yet"), download.all());
    assertTrue(download.err().contains("line 2: "), download.all());

    Cli.Run second = batch("create", input("ok.jsonl", chatLines(2)).toString(), "--endpoint",
        "/v1/chat/completions");
    assertEquals(0, second.exit(), second.all());
    String newest = second.out().trim();
    Cli.Run page = batch("list", "--limit", "1");
    assertEquals(2, page.out().lines().count(), page.all());
    assertTrue(page.out().lines().skip(1).findFirst().orElseThrow().startsWith(newest), page.all());
    assertTrue(page.err().contains("more: llm-worker batch list --after " + newest), page.all());
    Cli.Run rest = batch("list", "--after", newest);
    assertTrue(rest.out().lines().skip(1).findFirst().orElseThrow().startsWith(id + "  failed"), rest.all());
  }

  @Test
  @DisplayName("cancel prints cancelling; the batch ends cancelled and download writes both files, every line in "
      + "one of them")
  void cancel() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      lines.add(TestTasks.chat("slow-" + i, "slow [[sim:latency_ms=300]]"));
    }
    Cli.Run create = batch("create", input("slow.jsonl", lines).toString(), "--endpoint", "/v1/chat/completions");
    String id = create.out().trim();

    Cli.Run cancel = batch("cancel", id);

    assertEquals(0, cancel.exit(), cancel.all());
    assertEquals("cancelling\n", cancel.out(), cancel.all());
    Eventually.await(Duration.ofSeconds(60), () -> json(id).getString("status").equals("cancelled"),
        () -> json(id).encode());
    Path out = dir.resolve("c.output.jsonl");
    Path errors = dir.resolve("c.errors.jsonl");
    Cli.Run download = batch("download", id, "--out", out.toString(), "--errors", errors.toString());
    assertEquals(0, download.exit(), download.all());
    Map<String, JsonObject> all = new HashMap<>(byId(out));
    byId(errors).forEach((k, v) -> assertNull(all.put(k, v), k + " in both files"));
    assertEquals(100, all.size());
    Cli.Run again = batch("cancel", id);
    assertEquals(Main.EXIT_FAILURE, again.exit(), again.all());
    assertTrue(again.err().startsWith("llm-worker: error: "), again.all());
  }
}
