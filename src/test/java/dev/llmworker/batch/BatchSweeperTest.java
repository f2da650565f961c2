package dev.llmworker.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmworker.store.EmbeddedS3;
import dev.llmworker.store.ObjectStore;
import dev.llmworker.store.StoredFiles;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.TestTasks;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweeper's decision to end a batch, on records and parts written straight into a real (embedded) store. */
class BatchSweeperTest {
  @TempDir
  Path dir;
  private Vertx vertx;
  private EmbeddedS3 s3;
  private ObjectStore store;
  private BatchRecords records;
  private BatchSweeper sweeper;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    s3 = EmbeddedS3.start("127.0.0.1", 0, dir.resolve("s3"));
    store = ObjectStore.open(s3.endpoint(), "us-east-1", "llm-worker", "", vertx.getOrCreateContext());
    SqsFixture.await(store.ensureBucket(true));
    records = new BatchRecords(vertx, store);
    BatchRunner runner = new BatchRunner(vertx, records, null, "test-node", dir.resolve("work"));
    sweeper = new BatchSweeper(vertx, records, runner, new BatchFinalizer(vertx, records, dir.resolve("work")));
  }

  @AfterEach
  void tearDown() throws Exception {
    store.close();
    s3.close();
    vertx.close().await();
  }

  private static Buffer line(String customId) {
    return Buffer.buffer(new JsonObject().put("id", "r-" + customId).put("custom_id", customId)
        .put("response", new JsonObject().put("status_code", 200).put("body", new JsonObject())).putNull("error")
        .encode() + "\n");
  }

  @Test
  @DisplayName("parts whose counts reach the total only through a repeated line (a redelivery after a crash) do not "
      + "end the batch: it completes once the last distinct line is in, with every line")
  void duplicatesDoNotCompleteABatch() throws Exception {
    Path input = dir.resolve("input.jsonl");
    Files.writeString(input, TestTasks.chat("a", "1") + "\n" + TestTasks.chat("b", "2") + "\n"
        + TestTasks.chat("c", "3") + "\n");
    SqsFixture.await(new StoredFiles(store).add("file-in", input, Files.size(input), "input.jsonl", "batch"));
    JsonObject record = Batch.created("batch_dups", "file-in", "/v1/chat/completions", null,
        BatchRunner.now(), 86_400);
    record.put("request_counts", Batch.counts(3, 0, 0));
    SqsFixture.await(records.put(Batch.moveTo(record, Batch.IN_PROGRESS, BatchRunner.now())));
    SqsFixture.await(records.putRun("batch_dups", new JsonObject().put("owner", "gone").put("phase", "sent")
        .put("heartbeat_at", BatchRunner.now()).put("enqueued", 3)));
    SqsFixture.await(records.putPart("batch_dups", "p1", line("a").appendBuffer(line("b")),
        new PartTotals(2, 0, 0, 0, 0)));
    SqsFixture.await(records.putPart("batch_dups", "p2", line("a"), new PartTotals(1, 0, 0, 0, 0)));

    SqsFixture.await(sweeper.check("batch_dups"));
    assertEquals(Batch.IN_PROGRESS, SqsFixture.await(records.get("batch_dups")).getString("status"),
        "ended with a line missing");

    SqsFixture.await(records.putPart("batch_dups", "p3", line("c"), new PartTotals(1, 0, 0, 0, 0)));
    SqsFixture.await(sweeper.check("batch_dups"));
    JsonObject done = SqsFixture.await(records.get("batch_dups"));
    assertEquals(Batch.COMPLETED, done.getString("status"), done.encode());
    assertEquals(Batch.counts(3, 3, 0), done.getJsonObject("request_counts"));
    assertEquals(3, SqsFixture.await(new StoredFiles(store).get(done.getString("output_file_id"))) != null
        ? countLines(done.getString("output_file_id")) : -1);
  }

  private long countLines(String fileId) throws Exception {
    Path out = dir.resolve("out.jsonl");
    SqsFixture.await(new StoredFiles(store).content(fileId, out));
    return Files.readAllLines(out).stream().filter(l -> !l.isBlank()).count();
  }
}
