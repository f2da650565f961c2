package dev.llmworker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.JarProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Node SDK ({@code openai} on npm, {@code src/test/node}) as the client of a running
 * {@code llm-worker run}: what its users' code does must work unchanged against llm-worker's base URL.
 */
class OpenAiSdkIT {
  static final Path NODE_DIR = Path.of("src", "test", "node");
  private static final String TOKEN = "sdk-it-api-token-0123";

  @TempDir
  Path dir;

  /** Installs the SDK at the locked version when it is not there yet (.ci/run does the same first). */
  @BeforeAll
  static void installSdk() throws Exception {
    if (Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("openai"))) {
      return;
    }
    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(NODE_DIR.toFile())
        .redirectErrorStream(true).start();
    String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(npm.waitFor(5, TimeUnit.MINUTES) && npm.exitValue() == 0, "npm ci in " + NODE_DIR + ": " + out);
  }

  private static String node(Path script, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("node", script.getFileName().toString()).directory(NODE_DIR.toFile())
        .redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "node did not finish: " + out);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  @DisplayName("client.files: create (a 1,000-line batch file), retrieve, list with auto-paging, content, delete, "
      + "404 after delete and 401 for a wrong key, all through the SDK unchanged")
  void filesThroughTheSdk() throws Exception {
    Path input = dir.resolve("batch-input.jsonl");
    try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
      for (int i = 0; i < 1000; i++) {
        w.write(new JsonObject().put("custom_id", "sdk-" + i).put("method", "POST").put("url", "/v1/chat/completions")
            .put("body", new JsonObject().put("model", "gpt-4o-mini").put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", "Bonjour " + i + " — ✓")))).encode());
        w.write('\n');
      }
    }
    try (JarProcess jar = JarProcess.start(Map.of(
        "LLMW_SQS_EMBEDDED_PORT", "0",
        "LLMW_MONITOR_PORT", "0",
        "LLMW_PROVIDER_API_KEY_ENV", "none",
        "LLMW_API_TOKENS", TOKEN,
        "LLMW_STORE_EMBEDDED_DIR", dir.resolve("store").toString()), "run")) {
      String dashboard = jar.awaitLine(l -> l.contains("dashboard: "), Duration.ofSeconds(90))
          .replaceAll(".*dashboard: ", "").trim();
      String out = node(NODE_DIR.resolve("files.mjs"), Map.of("LLMW_BASE_URL", dashboard + "v1",
          "LLMW_API_TOKEN", TOKEN, "INPUT_FILE", input.toAbsolutePath().toString()));
      JsonObject summary = new JsonObject(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
          .orElseThrow(() -> new AssertionError(out)));
      assertTrue(summary.getBoolean("ok"), out);
      assertEquals(Files.size(input), summary.getLong("bytes"));
      assertTrue(!jar.output().contains(TOKEN), "the API token was printed");
    }
  }

  // ---- Issue 19: the Batches API through the SDK (src/test/node/batches.mjs), the node's LLM calls served by an
  // in-process simulator whose counts say which lines really reached an LLM ----

  private Vertx vertx;
  private LlmSimulator sim;

  @AfterEach
  void stopSimulator() {
    if (sim != null) {
      sim.close().await();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** A simulator on a free port and {@code llm-worker run} calling it; returns the node and its {@code /v1} URL. */
  private Map.Entry<JarProcess, String> startNode(Map<String, String> extra) throws IOException {
    vertx = Vertx.vertx();
    sim = LlmSimulator.start(vertx, SimulatorOptions.defaults().withLatencyMs(5)).await();
    Map<String, String> env = new HashMap<>(Map.of(
        "LLMW_SQS_EMBEDDED_PORT", "0",
        "LLMW_MONITOR_PORT", "0",
        "LLMW_PROVIDER_BASE_URL", sim.baseUrl(),
        "LLMW_PROVIDER_API_KEY_ENV", "none",
        "LLMW_API_TOKENS", TOKEN,
        "LLMW_STORE_EMBEDDED_DIR", dir.resolve("store").toString()));
    env.putAll(extra);
    JarProcess jar = JarProcess.start(env, "run");
    try {
      String dashboard = jar.awaitLine(l -> l.contains("dashboard: "), Duration.ofSeconds(90))
          .replaceAll(".*dashboard: ", "").trim();
      jar.awaitLine(l -> l.contains("llm-worker running"), Duration.ofSeconds(90));
      return Map.entry(jar, dashboard + "v1");
    } catch (RuntimeException | Error e) {
      jar.close();
      throw e;
    }
  }

  /** Runs one scenario of batches.mjs and returns its summary line, which says ok. */
  private JsonObject batches(JarProcess jar, String baseUrl, String scenario, String... env) throws Exception {
    Map<String, String> all = new HashMap<>(Map.of("LLMW_BASE_URL", baseUrl, "LLMW_API_TOKEN", TOKEN,
        "SCENARIO", scenario, "WORK_DIR", dir.toAbsolutePath().toString()));
    for (int i = 0; i + 1 < env.length; i += 2) {
      all.put(env[i], env[i + 1]);
    }
    String out;
    try {
      out = node(NODE_DIR.resolve("batches.mjs"), all);
    } catch (AssertionError e) {
      String log = jar.output();
      throw new AssertionError(e.getMessage() + "\n--- the node's last output:\n"
          + log.substring(Math.max(0, log.length() - 6000)), e);
    }
    JsonObject summary = new JsonObject(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError(out)));
    assertTrue(summary.getBoolean("ok"), out);
    System.out.println("batches.mjs " + summary.encode());
    return summary;
  }

  private static JsonObject counts(long total, long completed, long failed) {
    return new JsonObject().put("total", total).put("completed", completed).put("failed", failed);
  }

  @Test
  @DisplayName("client.batches through the SDK: a 2,000-line batch completes with every custom_id once and the "
      + "simulator's answer; a batch with refused lines puts them in its error file; an invalid file fails with "
      + "numbered errors and calls nothing; list auto-pages newest first")
  void batchesThroughTheSdk() throws Exception {
    Map.Entry<JarProcess, String> node = startNode(Map.of());
    try (JarProcess jar = node.getKey()) {
      String base = node.getValue();
      List<String> created = new ArrayList<>();

      JsonObject completed = batches(jar, base, "completed", "LINES", "2000");
      created.add(completed.getString("id"));
      assertEquals("completed", completed.getString("status"), completed.encode());
      assertEquals(counts(2000, 2000, 0), completed.getJsonObject("request_counts"), completed.encode());
      assertEquals(2000, completed.getInteger("output_lines"));
      assertEquals(0, completed.getInteger("error_lines"));
      assertEquals("completed", completed.getJsonObject("metadata").getString("scenario"));
      assertTrue(completed.getLong("completed_at") != null && completed.getLong("in_progress_at") != null,
          completed.encode());
      assertEquals(2000, sim.stats().okCount(), "LLM calls for 2,000 lines");

      long before = sim.stats().requests();
      JsonObject errors = batches(jar, base, "errors", "LINES", "300", "FAIL_EVERY", "7");
      created.add(errors.getString("id"));
      int refused = errors.getInteger("refused");
      assertEquals(43, refused);
      assertEquals("completed", errors.getString("status"), errors.encode());
      assertEquals(counts(300, 300 - refused, refused), errors.getJsonObject("request_counts"), errors.encode());
      assertEquals(300 - refused, errors.getInteger("output_lines"));
      assertEquals(refused, errors.getInteger("error_lines"));
      assertTrue(errors.getJsonObject("error_sample").encode().contains("400"), errors.encode());
      assertEquals(300, sim.stats().requests() - before, "a 400 is not retried: one call per line");

      before = sim.stats().requests();
      JsonObject invalid = batches(jar, base, "invalid");
      created.add(invalid.getString("id"));
      assertEquals("failed", invalid.getString("status"), invalid.encode());
      assertTrue(invalid.getLong("failed_at") != null, invalid.encode());
      JsonArray data = invalid.getJsonArray("errors");
      assertEquals(3, data.size(), data.encode());
      assertEquals(List.of(2, 3, 4), data.stream().map(e -> ((JsonObject) e).getInteger("line")).toList(),
          data.encode());
      data.forEach(e -> assertTrue(((JsonObject) e).getString("code") != null, data.encode()));
      assertEquals("duplicate_custom_id", data.getJsonObject(1).getString("code"), data.encode());
      assertEquals("mismatched_url", data.getJsonObject(2).getString("code"), data.encode());
      assertEquals(0, sim.stats().requests() - before, "a failed batch called the LLM");

      JsonObject listed = batches(jar, base, "list");
      List<String> newestFirst = new ArrayList<>(created);
      java.util.Collections.reverse(newestFirst);
      assertEquals(newestFirst, listed.getJsonArray("ids").getList(), listed.encode());
      assertEquals(List.of(2, 1), listed.getJsonArray("pages").getList(), listed.encode());
      assertEquals(newestFirst.subList(0, 2), listed.getJsonArray("first_page").getList(), listed.encode());
      assertTrue(listed.getBoolean("first_has_more"), listed.encode());
      assertTrue(!jar.output().contains(TOKEN), "the API token was printed");
    }
  }

  @Test
  @DisplayName("client.batches.cancel mid-run: cancelling, then cancelled; the lines done are in the output file, "
      + "the others batch_cancelled in the error file, each custom_id once, and no LLM call for a line not started")
  void cancelThroughTheSdk() throws Exception {
    Map.Entry<JarProcess, String> node = startNode(Map.of(
        "LLMW_WORKER_INSTANCES", "1",
        "LLMW_WORKER_CONCURRENCY", "4"));
    try (JarProcess jar = node.getKey()) {
      int lines = 400;
      JsonObject cancel = batches(jar, node.getValue(), "cancel", "LINES", String.valueOf(lines));
      assertEquals("cancelling", cancel.getString("cancel_status"), cancel.encode());
      assertEquals("cancelled", cancel.getString("status"), cancel.encode());
      assertTrue(cancel.getLong("cancelling_at") != null && cancel.getLong("cancelled_at") != null, cancel.encode());
      int output = cancel.getInteger("output_lines");
      int errors = cancel.getInteger("error_lines");
      assertEquals(lines, output + errors, cancel.encode());
      assertTrue(output >= cancel.getInteger("completed_before_cancel") && errors > 0, cancel.encode());
      assertEquals(new JsonObject().put("batch_cancelled", errors), cancel.getJsonObject("error_codes"),
          cancel.encode());
      assertEquals(counts(lines, output, errors), cancel.getJsonObject("request_counts"), cancel.encode());
      assertEquals(output, sim.stats().requests(), "LLM calls vs lines in the output file: " + cancel.encode());
      assertEquals(409, cancel.getInteger("cancel_again"), "cancelling a cancelled batch: " + cancel.encode());
    }
  }
}
