package dev.llmworker.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The monitor's view of the cluster: sums over live nodes, gone nodes marked, merged latency histograms. */
class ClusterStatsTest {
  private static JsonObject node(String id, long succeeded, int capacity, long llmMs) {
    org.HdrHistogram.Histogram h = Percentiles.histogram();
    Percentiles.record(h, llmMs);
    JsonObject usage = new JsonObject().put("provider", "p").put("model", "m").put("requests", succeeded)
        .put("succeeded", succeeded).put(ClusterStats.LLM_HIST, Percentiles.encode(h))
        .put(ClusterStats.E2E_HIST, Percentiles.encode(h));
    return new JsonObject().put("id", id).put("succeeded", succeeded).put("capacity", capacity)
        .put("llm", new JsonArray().add(usage)).put("failures", new JsonArray());
  }

  @Test
  @DisplayName("a node silent for 5 s is shown as gone and leaves the sums; after 10 minutes it is forgotten")
  void goneNodes() {
    AtomicLong now = new AtomicLong(1_000_000);
    ClusterStats cluster = new ClusterStats(now::get);
    cluster.accept(node("a", 10, 50, 100));
    cluster.accept(node("b", 20, 50, 300));
    JsonObject both = cluster.toJson(new JsonObject());
    assertEquals(30, both.getJsonObject("totals").getLong("succeeded"));
    assertEquals(100, both.getJsonObject("totals").getLong("capacity"));
    JsonObject usage = both.getJsonArray("llm").getJsonObject(0);
    assertEquals(2, usage.getJsonObject("llm_ms").getLong("count"), "histograms merged: " + usage.encode());
    assertTrue(usage.getJsonObject("llm_ms").getLong("p99") >= 299, usage.encode());
    assertFalse(usage.containsKey(ClusterStats.LLM_HIST), "encoded histograms are not shown");

    now.addAndGet(3000);
    cluster.accept(node("a", 11, 50, 100));
    now.addAndGet(3000); // b silent for 6 s
    JsonObject one = cluster.toJson(new JsonObject());
    assertEquals(11, one.getJsonObject("totals").getLong("succeeded"));
    assertEquals(50, one.getJsonObject("totals").getLong("capacity"), "the gone node's capacity is not counted");
    assertEquals(1, one.getJsonObject("totals").getLong("nodes"));
    JsonObject b = one.getJsonArray("nodes").getJsonObject(1);
    assertTrue(b.getBoolean("gone"), b.encode());
    assertEquals(6, b.getLong("last_seen_s"));
    assertFalse(one.getJsonArray("nodes").getJsonObject(0).getBoolean("gone"));

    now.addAndGet(ClusterStats.FORGET_MS);
    cluster.accept(node("a", 12, 50, 100));
    assertEquals(1, cluster.toJson(new JsonObject()).getJsonArray("nodes").size(), "b forgotten");
  }
}
