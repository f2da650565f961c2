package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A result too large for one SQS message is sent trimmed, and kept whole on the node's disk. */
class OversizeResultTest {
  private static final int ANSWER_CHARS = 400_000;

  @TempDir
  Path dir;
  private Stack stack;

  @AfterEach
  void stop() {
    stack.close();
  }

  @Test
  @DisplayName("a 400,000-character answer arrives truncated under 256 KiB with llmw.truncated, and whole in "
      + "results.oversizeFile; full_result is host:path with the path as configured (no pid, not made absolute)")
  void oversizeAnswer() throws Exception {
    Path kept = dir.resolve("data").resolve("oversize.jsonl");
    // configured relative to the working directory, as the default is
    String configured = Path.of("").toAbsolutePath().relativize(kept).toString();
    stack = new Stack(30, 3, SimulatorOptions.defaults().withLatencyMs(5));
    stack.startNode(json -> json.put("results", new JsonObject().put("oversizeFile", configured)));
    stack.sqs.enqueue(2, i -> TestTasks.chat("t-" + i,
        i == 0 ? "[[sim:answer_chars=" + ANSWER_CHARS + "]] write a long essay" : "a short one"));
    Map<String, List<JsonObject>> results = new java.util.HashMap<>();
    Eventually.await(Duration.ofSeconds(30), () -> {
      results.putAll(stack.results());
      return results.size() == 2;
    }, () -> "results: " + results.keySet());

    JsonObject big = results.get("t-0").get(0);
    assertTrue(big.encode().getBytes(StandardCharsets.UTF_8).length <= 262_144, "too large for SQS");
    JsonObject llmw = big.getJsonObject("llmw");
    assertEquals(Boolean.TRUE, llmw.getBoolean("truncated"));
    assertTrue(llmw.getInteger("full_bytes") > 400_000, llmw.encode());
    String runtime = ManagementFactory.getRuntimeMXBean().getName(); // "pid@host"
    assertEquals(runtime.substring(runtime.indexOf('@') + 1) + ":" + configured, llmw.getString("full_result"));
    String content = big.getJsonObject("response").getJsonObject("body").getJsonArray("choices").getJsonObject(0)
        .getJsonObject("message").getString("content");
    assertTrue(content.startsWith("Simulated answer to: [[sim:answer_chars="), content.substring(0, 60));
    assertTrue(content.endsWith("…[truncated by llm-worker]"));
    assertEquals(200, big.getJsonObject("response").getInteger("status_code"));

    List<String> whole = Files.readAllLines(kept, StandardCharsets.UTF_8);
    assertEquals(1, whole.size());
    JsonObject full = new JsonObject(whole.get(0));
    assertEquals("t-0", full.getString("custom_id"));
    assertEquals(big.getString("id"), full.getString("id"));
    assertEquals(ANSWER_CHARS, full.getJsonObject("response").getJsonObject("body").getJsonArray("choices")
        .getJsonObject(0).getJsonObject("message").getString("content").length());

    JsonObject small = results.get("t-1").get(0);
    assertEquals(null, small.getJsonObject("llmw").getValue("truncated"));
    // the task is deleted after its result is stored (batched): give the delete its moment
    Eventually.await(Duration.ofSeconds(10), () -> stack.sqs.depth(stack.sqs.queues.tasks()) == 0,
        () -> "tasks left: " + stack.sqs.depth(stack.sqs.queues.tasks()));
  }
}
