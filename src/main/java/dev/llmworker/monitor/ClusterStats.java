package dev.llmworker.monitor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The latest snapshot of every node. A node silent for {@link #GONE_MS} is shown as gone (and no longer counted in
 * the sums); after {@link #FORGET_MS} it is dropped from the list.
 */
final class ClusterStats {
  static final long GONE_MS = 5000;
  static final long FORGET_MS = 10 * 60_000;
  /** Failures shown in a snapshot, newest first. */
  static final int FAILURES_SHOWN = 50;
  static final String LLM_HIST = "llm_hist";
  static final String E2E_HIST = "e2e_hist";
  private static final String[] SUMMED = {"received", "succeeded", "dead_lettered", "returned", "requeued",
      "unstorable", "recovered",
      "in_flight", "retried", "rate_limited", "llm_calls", "failed_attempts", "capacity", "worker_instances", "worker_busy",
      "sqs_calls", "running"};

  private final Map<String, JsonObject> nodes = new LinkedHashMap<>();
  private final Map<String, Long> seenAt = new LinkedHashMap<>();
  private final LongSupplier clock;

  ClusterStats() {
    this(System::currentTimeMillis);
  }

  ClusterStats(LongSupplier clockMs) {
    this.clock = clockMs;
  }

  void accept(JsonObject snapshot) {
    String id = snapshot.getString("id");
    if (id != null) {
      nodes.put(id, snapshot);
      seenAt.put(id, clock.getAsLong());
    }
  }

  JsonObject toJson(JsonObject queues) {
    long now = clock.getAsLong();
    forgetOld(now);
    List<JsonObject> live = nodes.values().stream().filter(n -> now - seenAt.get(n.getString("id")) <= GONE_MS)
        .toList();
    JsonObject totals = new JsonObject();
    for (String key : SUMMED) {
      totals.put(key, live.stream().mapToLong(n -> n.getLong(key, 0L)).sum());
    }
    totals.put("throughput", Math.round(live.stream()
        .mapToDouble(n -> n.getDouble("throughput", 0.0)).sum() * 10) / 10.0);
    totals.put("nodes", live.size());
    JsonArray usage = ClusterLlm.usage(live);
    totals.put("cost_usd", usage.stream().mapToDouble(o -> ((JsonObject) o).getDouble("cost_usd", 0.0)).sum());
    JsonArray list = new JsonArray();
    nodes.values().stream().sorted(Comparator.comparing(n -> n.getString("id")))
        .forEach(n -> list.add(shown(n, now - seenAt.get(n.getString("id")))));
    return new JsonObject()
        .put("paused", live.stream().anyMatch(n -> n.getBoolean("paused", false)))
        .put("totals", totals)
        .put("nodes", list)
        .put("queues", queues)
        .put("llm", usage)
        .put("budgets", ClusterLlm.budgets(live))
        .put("failures", failures(f -> true, FAILURES_SHOWN))
        .put("at", now);
  }

  /** Every failure the nodes keep whose custom_id contains {@code query}, newest first. */
  JsonArray failures(String query) {
    return failures(f -> String.valueOf(f.getValue("custom_id")).contains(query), Integer.MAX_VALUE);
  }

  private JsonArray failures(Predicate<JsonObject> filter, int limit) {
    List<JsonObject> all = nodes.values().stream()
        .flatMap(n -> n.getJsonArray("failures", new JsonArray()).stream().map(JsonObject.class::cast))
        .filter(filter)
        .sorted(Comparator.comparingLong((JsonObject f) -> f.getLong("at", 0L)).reversed())
        .limit(limit)
        .toList();
    return new JsonArray(new java.util.ArrayList<>(all));
  }

  /**
   * A node as the API shows it, with whether it is gone and how long ago it was heard from; its failures are in the
   * cluster-wide list, its histograms only for merging.
   */
  private static JsonObject shown(JsonObject node, long silentMs) {
    JsonObject copy = node.copy().put("gone", silentMs > GONE_MS).put("last_seen_s", silentMs / 1000);
    copy.remove("failures");
    copy.put("llm", ClusterLlm.withoutHistograms(node.getJsonArray("llm", new JsonArray())));
    return copy;
  }

  private void forgetOld(long now) {
    seenAt.entrySet().removeIf(e -> {
      boolean forgotten = now - e.getValue() > FORGET_MS;
      if (forgotten) {
        nodes.remove(e.getKey());
      }
      return forgotten;
    });
  }
}
