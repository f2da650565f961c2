package dev.llmworker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.support.JarProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
}
