package dev.llmworker.monitor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The latest snapshot of every node that published one recently; nodes silent for {@link #GONE_MS} drop out. */
final class ClusterStats {
  static final long GONE_MS = 5000;
  private static final String[] SUMMED = {"received", "succeeded", "dead_lettered", "returned", "in_flight",
      "retried", "rate_limited", "llm_calls", "capacity", "worker_instances", "worker_busy", "sqs_calls"};

  private static final String[] LLM_SUMMED = {"requests", "succeeded", "failed", "rate_limited", "prompt_tokens",
      "completion_tokens"};

  private final Map<String, JsonObject> nodes = new LinkedHashMap<>();
  private final Map<String, Long> seenAt = new LinkedHashMap<>();

  void accept(JsonObject snapshot) {
    String id = snapshot.getString("id");
    if (id != null) {
      nodes.put(id, snapshot);
      seenAt.put(id, System.currentTimeMillis());
    }
  }

  JsonObject toJson(JsonObject queues) {
    long now = System.currentTimeMillis();
    seenAt.entrySet().removeIf(e -> {
      boolean gone = now - e.getValue() > GONE_MS;
      if (gone) {
        nodes.remove(e.getKey());
      }
      return gone;
    });
    JsonObject totals = new JsonObject();
    for (String key : SUMMED) {
      totals.put(key, nodes.values().stream().mapToLong(n -> n.getLong(key, 0L)).sum());
    }
    totals.put("throughput", Math.round(nodes.values().stream()
        .mapToDouble(n -> n.getDouble("throughput", 0.0)).sum() * 10) / 10.0);
    JsonArray list = new JsonArray();
    nodes.values().stream().sorted(Comparator.comparing(n -> n.getString("id"))).forEach(list::add);
    return new JsonObject().put("totals", totals).put("nodes", list).put("queues", queues)
        .put("llm", llm()).put("at", now);
  }

  /** The nodes' per provider-and-model counters, summed over the cluster. */
  private JsonArray llm() {
    Map<String, JsonObject> byKey = new java.util.TreeMap<>();
    for (JsonObject node : nodes.values()) {
      for (Object o : node.getJsonArray("llm", new JsonArray())) {
        JsonObject entry = (JsonObject) o;
        String key = entry.getString("provider") + "/" + entry.getString("model");
        JsonObject sum = byKey.computeIfAbsent(key, k -> new JsonObject().put("provider", entry.getString("provider"))
            .put("model", entry.getString("model")));
        for (String field : LLM_SUMMED) {
          sum.put(field, sum.getLong(field, 0L) + entry.getLong(field, 0L));
        }
        sum.put("cost_usd", sum.getDouble("cost_usd", 0.0) + entry.getDouble("cost_usd", 0.0));
      }
    }
    return new JsonArray(new java.util.ArrayList<>(byKey.values()));
  }
}
