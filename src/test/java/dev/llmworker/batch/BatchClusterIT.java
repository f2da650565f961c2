package dev.llmworker.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.store.EmbeddedS3;
import dev.llmworker.store.ObjectStore;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.JarCluster;
import dev.llmworker.support.JarProcess;
import dev.llmworker.support.OpenAiApi;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.TestTasks;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 on a cluster: two jar nodes, both serving the Batch API over one SQS and one S3 store (both started
 * here); a batch created through one node is seen, progressing and completed, through the other.
 */
class BatchClusterIT {
  private static final String TOKEN = "batch-cluster-it-monitor-token";
  private static final String API_TOKEN = "batch-cluster-it-api-token";
  private static final String BUCKET = "batch-cluster-it";
  private static final int LINES = 1_000;

  @TempDir
  Path dir;

  private static long completed(JsonObject batch) {
    JsonObject counts = batch.getJsonObject("request_counts");
    return counts == null ? 0 : counts.getLong("completed", 0L);
  }

  @Test
  @DisplayName("a batch created through node A is visible through node B, its counts rise there, it completes "
      + "there with the same output file as A serves, and B lists it")
  void seenThroughTheOtherNode() throws Exception {
    Vertx vertx = Vertx.vertx();
    // 100 ms a call over 2 x 10 slots: about 200 lines a second, several seconds for the batch
    try (EmbeddedS3 s3 = EmbeddedS3.start("127.0.0.1", 0, dir.resolve("s3"));
        JarCluster cluster = new JarCluster(2, 100)) {
      try (ObjectStore admin = ObjectStore.open(s3.endpoint(), "us-east-1", BUCKET, "", vertx.getOrCreateContext())) {
        SqsFixture.await(admin.ensureBucket(true));
      }
      Map<String, String> store = Map.of("LLMW_STORE_ENDPOINT", s3.endpoint(), "LLMW_STORE_BUCKET", BUCKET,
          "LLMW_API_TOKENS", API_TOKEN);
      JarProcess a = cluster.startNode(0, "poller,worker,monitor", 1, TOKEN, store);
      JarProcess b = cluster.startNode(1, "poller,worker,monitor", 1, TOKEN, store);
      try {
        OpenAiApi viaA = new OpenAiApi(JarCluster.monitorUrl(a) + "v1/", API_TOKEN);
        OpenAiApi viaB = new OpenAiApi(JarCluster.monitorUrl(b) + "v1/", API_TOKEN);
        // both in the cluster before the batch starts
        Eventually.await(Duration.ofSeconds(90), () -> JarCluster.capacity(JarCluster.stats(
            JarCluster.monitorUrl(a), TOKEN)) == 20, cluster::describe);

        StringBuilder input = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
          input.append(TestTasks.chat("c-" + i, "hello " + i)).append('\n');
        }
        String id = viaA.createBatch(input.toString(), "/v1/chat/completions", new JsonObject().put("job", "c1"))
            .getString("id");

        HttpResponse<String> seen = viaB.send(viaB.request("batches/" + id));
        assertEquals(200, seen.statusCode(), seen.body());
        assertEquals(id, new JsonObject(seen.body()).getString("id"));
        assertEquals("c1", new JsonObject(seen.body()).getJsonObject("metadata").getString("job"));

        // counts read through B while it runs: some value strictly between 0 and the total, then the total
        List<Long> counts = new ArrayList<>();
        JsonObject[] last = {null};
        Eventually.await(Duration.ofSeconds(180), () -> {
          last[0] = viaB.batch(id);
          long c = completed(last[0]);
          if (counts.isEmpty() || counts.get(counts.size() - 1) != c) {
            counts.add(c);
          }
          return "completed".equals(last[0].getString("status")) || "failed".equals(last[0].getString("status"));
        }, () -> "batch through B: " + (last[0] == null ? null : last[0].encode()) + "\n" + cluster.describe());
        JsonObject done = last[0];
        assertEquals("completed", done.getString("status"), done.encode());
        assertEquals(new JsonObject().put("total", LINES).put("completed", LINES).put("failed", 0),
            done.getJsonObject("request_counts"));
        assertTrue(counts.stream().anyMatch(c -> c > 0 && c < LINES), "no progress seen through B: " + counts);
        for (int i = 1; i < counts.size(); i++) {
          assertTrue(counts.get(i) > counts.get(i - 1), "counts through B went down: " + counts);
        }

        String fileId = done.getString("output_file_id");
        assertNotNull(fileId, done.encode());
        String fromB = viaB.content(fileId);
        assertEquals(LINES, fromB.lines().filter(l -> !l.isBlank()).map(l -> new JsonObject(l).getString("custom_id"))
            .distinct().count(), "distinct custom_ids in the output");
        assertEquals(LINES, fromB.lines().filter(l -> !l.isBlank()).count(), "output lines");
        assertEquals(fromB, viaA.content(fileId), "A and B serve different content for " + fileId);
        assertEquals("completed", viaA.batch(id).getString("status"));

        JsonObject list = new JsonObject(viaB.send(viaB.request("batches")).body());
        assertTrue(list.getJsonArray("data").stream().map(JsonObject.class::cast)
            .anyMatch(o -> id.equals(o.getString("id")) && "completed".equals(o.getString("status"))),
            "B's list: " + list.encode());
        assertTrue(cluster.sim.stats().requests() >= LINES);
      } finally {
        cluster.saveLogs("batch-cluster-it");
      }
    } finally {
      SqsFixture.await(vertx.close());
    }
  }
}
