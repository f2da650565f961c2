package dev.llmworker.batchcli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Http;
import dev.llmworker.support.JarProcess;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code batch create --wait} as a process: SIGTERM (as Ctrl-C) stops the waiting, not the batch. */
class BatchWaitSignalIT {
  private static final String TOKEN = "batch-signal-it-token-1";
  @TempDir
  Path dir;

  @Test
  @DisplayName("a signal during --wait: exit 130, how to resume (batch get / batch download), no file written; the "
      + "batch goes on at the node; the token came from LLMW_API_TOKEN")
  void signalStopsOnlyTheWaiting() throws Exception {
    try (Stack stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5))) {
      String url = stack.startNode(json -> json.put("api", new JsonObject().put("tokens", new JsonArray().add(TOKEN)))
          .put("store", new JsonObject().put("embedded", new JsonObject().put("dir", dir.resolve("store").toString()))))
          .monitorUrl();
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        lines.add(TestTasks.chat("slow-" + i, "take your time [[sim:latency_ms=4000]]"));
      }
      Path in = Files.write(dir.resolve("slow.jsonl"), lines);
      try (JarProcess create = JarProcess.start(Map.of("LLMW_API_TOKEN", TOKEN), "batch", "create", in.toString(),
          "--endpoint", "/v1/chat/completions", "--wait", "--url", url)) {
        String id = create.awaitLine(l -> l.matches("batch_[A-Za-z0-9]+"), Duration.ofSeconds(60));
        create.awaitLine(l -> l.startsWith(id + ": "), Duration.ofSeconds(30));
        create.terminate();
        assertEquals(WaitSignals.EXIT_STOPPED, create.awaitExit(Duration.ofSeconds(30)), create.output());
        String out = create.output();
        assertTrue(out.contains("stopped waiting; batch " + id + " goes on at the node"), out);
        assertTrue(out.contains("llm-worker batch get " + id), out);
        assertTrue(out.contains("llm-worker batch download " + id + " --out " + dir.resolve("slow.output.jsonl")),
            out);
        assertFalse(out.contains(TOKEN), out);
        try (Stream<Path> files = Files.list(dir)) {
          assertEquals(List.of(), files.filter(p -> p.getFileName().toString().matches(".*(output|errors|part).*"))
              .toList(), "a file was written although the batch had not ended");
        }
        JsonObject batch = Http.jsonOrNull(url + "v1/batches/" + id, TOKEN);
        assertTrue(batch != null && List.of("validating", "in_progress", "finalizing", "completed")
            .contains(batch.getString("status")), "the batch did not go on: " + batch);
      }
    }
  }
}
