package dev.llmworker.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmworker.store.EmbeddedS3;
import dev.llmworker.store.ObjectStore;
import dev.llmworker.support.SqsFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch records on the embedded store (S3Proxy over a directory), read while another node rewrites them. */
class BatchRecordsTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("a record read while it is being replaced by a longer one is never a failure: the embedded store can "
      + "answer the new bytes cut at the old length, and such a read is tried again")
  void readsDuringRewrites() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (EmbeddedS3 s3 = EmbeddedS3.start("127.0.0.1", 0, dir);
        ObjectStore store = ObjectStore.open(s3.endpoint(), "us-east-1", "llm-worker", "",
            vertx.getOrCreateContext())) {
      SqsFixture.await(store.ensureBucket(true));
      BatchRecords records = new BatchRecords(vertx, store);
      JsonObject record = Batch.created("batch_rewritten", "file-x", "/v1/chat/completions",
          new JsonObject().put("note", "x"), 1, 86_400);
      SqsFixture.await(records.put(record));
      int failures = 0;
      String firstFailure = null;
      for (int round = 0; round < 40; round++) {
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          // records of different lengths, as a batch's record grows from validating to completed
          all.add(records.put(record.copy().put("metadata", new JsonObject().put("note", "x".repeat(i * 300)))));
          all.add(records.get("batch_rewritten"));
        }
        for (Future<?> f : all) {
          Throwable e = SqsFixture.awaitFailureOrNull(f);
          if (e != null) {
            failures++;
            firstFailure = firstFailure == null ? e.toString() : firstFailure;
          }
        }
      }
      assertEquals(0, failures, "reads or writes failed, the first: " + firstFailure);
    } finally {
      vertx.close().await();
    }
  }
}
