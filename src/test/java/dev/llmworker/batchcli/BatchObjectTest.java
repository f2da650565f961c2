package dev.llmworker.batchcli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BatchObjectTest {
  private static final String RUNNING = """
      {"id":"batch_1","object":"batch","endpoint":"/v1/chat/completions","errors":null,
       "input_file_id":"file-in","completion_window":"24h","status":"in_progress","output_file_id":null,
       "error_file_id":null,"created_at":1700000000,"in_progress_at":1700000005,"expires_at":1700086400,
       "request_counts":{"total":200,"completed":120,"failed":3},"metadata":{"team":"search"},
       "llmw":{"done":123,"prompt_tokens":4567,"completion_tokens":890,"cost_usd":0.01234,"per_second":41.5,
       "eta_seconds":2}}""";
  private static final String FAILED = """
      {"id":"batch_2","status":"failed","request_counts":{"total":0,"completed":0,"failed":0},
       "errors":{"object":"list","data":[{"code":"invalid_json","message":"Unexpected end","line":4,"param":null}]}}
      """;

  @Test
  @DisplayName("a running batch: counts, the llmw figures, time stamps, metadata; done from llmw")
  void running() {
    BatchObject b = new BatchObject(new JsonObject(RUNNING));
    assertEquals(BatchStatus.IN_PROGRESS, b.status());
    assertFalse(b.status().ended());
    assertEquals(new BatchObject.Counts(200, 120, 3), b.counts());
    assertEquals(new BatchObject.Figures(123, 4567, 890, 0.01234, 41.5, 2L), b.figures());
    assertEquals(123, b.done());
    assertEquals(1700000005L, b.time("in_progress_at"));
    assertNull(b.time("completed_at"));
    assertNull(b.outputFileId());
    assertEquals("search", b.metadata().get("team"));
    assertEquals("in_progress  3 failed  $0.0123", BatchWait.detail(b, b.counts(), b.figures()));
  }

  @Test
  @DisplayName("read leniently: no llmw block (done = completed + failed), an unknown status, mistyped fields")
  void lenient() {
    BatchObject old = new BatchObject(new JsonObject(RUNNING).put("llmw", null).put("status", "paused")
        .put("created_at", "yesterday").put("request_counts", new JsonObject().put("total", "many")
            .put("completed", 5).put("failed", 1)));
    assertNull(old.figures());
    assertEquals(6, old.done());
    assertEquals(BatchStatus.UNKNOWN, old.status());
    assertEquals("paused", old.statusText());
    assertNull(old.time("created_at"));
    assertEquals(0, old.counts().total());
    assertEquals(BatchStatus.UNKNOWN, new BatchObject(new JsonObject()).status());
  }

  @Test
  @DisplayName("a failed batch: its errors.data, ended, exit code 1; only completed exits 0")
  void failed() {
    BatchObject b = new BatchObject(new JsonObject(FAILED));
    assertTrue(b.status().ended());
    assertEquals(1, b.status().exitCode());
    assertEquals(List.of(new BatchObject.InputError("invalid_json", "Unexpected end", 4L, null)), b.errors());
    assertEquals(0, BatchStatus.COMPLETED.exitCode());
    assertEquals(1, BatchStatus.CANCELLED.exitCode());
    assertEquals(1, BatchStatus.EXPIRED.exitCode());
  }

  @Test
  @DisplayName("get's summary names status, counts, progress with cost, files, times, metadata and the errors")
  void summary() {
    String running = String.join("\n", BatchSummary.lines(new BatchObject(new JsonObject(RUNNING))));
    assertTrue(running.startsWith("batch_1  in_progress\n"), running);
    assertTrue(running.contains("requests     120 completed, 3 failed, 200 total"), running);
    assertTrue(running.contains("progress     123 done, 4,567 prompt + 890 completion tokens, $0.0123, 41.5/s, "
        + "ETA 0:02"), running);
    assertTrue(running.contains("input file   file-in"), running);
    assertTrue(running.contains("output file  -"), running);
    assertTrue(running.contains("created      " + Times.local(1700000000L)), running);
    assertTrue(running.contains("metadata     team=search"), running);
    String failed = String.join("\n", BatchSummary.lines(new BatchObject(new JsonObject(FAILED))));
    assertTrue(failed.contains("  errors\n    line 4: invalid_json: Unexpected end"), failed);
  }

  @Test
  @DisplayName("list's table: a header and one aligned row per batch")
  void table() {
    List<String> lines = BatchTable.lines(List.of(new BatchObject(new JsonObject(RUNNING)),
        new BatchObject(new JsonObject(FAILED))));
    assertEquals(3, lines.size());
    assertTrue(lines.get(0).startsWith("id       status       endpoint              completed/failed/total  created"),
        lines.get(0));
    assertTrue(lines.get(1).startsWith("batch_1  in_progress  /v1/chat/completions  120/3/200"), lines.get(1));
    assertTrue(lines.get(2).startsWith("batch_2  failed       -                     0/0/0"), lines.get(2));
  }
}
