package dev.llmworker.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.OpenAiApi;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches on a FIFO tasks queue: SQS drops a message whose deduplication id it saw in the last 5 minutes, so two
 * batches using the same custom_ids (request-1, request-2, ...: the usual case) must not share deduplication ids.
 */
class BatchFifoTest {
  private static final String TOKEN = "batch-fifo-test-token";
  @TempDir
  Path dir;
  private final Stack stack = new Stack(SqsFixture.startFifo(30, 3), SimulatorOptions.defaults().withLatencyMs(5));

  @AfterEach
  void tearDown() {
    stack.close();
  }

  @Test
  @DisplayName("two batches with the same custom_ids, one after the other, on a FIFO queue: both complete with "
      + "every line")
  void sameCustomIdsTwice() {
    String monitor = stack.startNode(json -> json.put("sqs", json.getJsonObject("sqs").mergeIn(SqsFixture.fifoNames()))
        .put("api", new JsonObject().put("tokens", new JsonArray().add(TOKEN)).put("completionWindowSeconds", 20))
        .put("store", new JsonObject().put("embedded", new JsonObject().put("dir", dir.toString()))))
        .monitorUrl();
    OpenAiApi api = new OpenAiApi(monitor + "v1/", TOKEN);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      lines.append(TestTasks.chat("request-" + i, "hello " + i)).append('\n');
    }
    for (int round = 0; round < 2; round++) {
      JsonObject batch = api.createBatch(lines.toString(), "/v1/chat/completions", null);
      JsonObject done = api.awaitStatus(batch.getString("id"), Duration.ofSeconds(60), "completed", "expired",
          "failed");
      assertEquals(new JsonObject().put("total", 40).put("completed", 40).put("failed", 0),
          done.getJsonObject("request_counts"), "round " + round + ": " + done.encode());
    }
  }
}
