package dev.llmworker.monitor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** The nodes' LLM figures summed over the cluster: usage per provider and model, and the rate budgets. */
final class ClusterLlm {
  private static final String[] USAGE_SUMMED = {"requests", "succeeded", "failed", "rate_limited", "prompt_tokens",
      "completion_tokens"};
  private static final String[] BUDGET_SUMMED = {"rpm_effective", "tpm_effective", "waiting", "rate_limited"};
  private static final String[] BUDGET_LIMITS = {"rpm_limit", "tpm_limit", "rpm_configured", "tpm_configured"};

  private ClusterLlm() {}

  /** Per provider, model and endpoint; latency percentiles come from the merged histograms, not averaged. */
  static JsonArray usage(Collection<JsonObject> nodes) {
    Map<String, JsonObject> byKey = new TreeMap<>();
    Map<String, Histogram[]> histograms = new TreeMap<>();
    for (JsonObject node : nodes) {
      for (Object o : node.getJsonArray("llm", new JsonArray())) {
        JsonObject entry = (JsonObject) o;
        String endpoint = entry.getString("endpoint", "chat");
        String key = entry.getString("provider") + "/" + entry.getString("model") + " " + endpoint;
        JsonObject sum = byKey.computeIfAbsent(key, k -> new JsonObject().put("provider", entry.getString("provider"))
            .put("model", entry.getString("model")).put("endpoint", endpoint));
        for (String field : USAGE_SUMMED) {
          sum.put(field, sum.getLong(field, 0L) + entry.getLong(field, 0L));
        }
        sum.put("cost_usd", sum.getDouble("cost_usd", 0.0) + entry.getDouble("cost_usd", 0.0));
        Histogram[] h = histograms.computeIfAbsent(key, k -> new Histogram[] {Percentiles.histogram(),
            Percentiles.histogram()});
        Percentiles.mergeEncoded(h[0], entry.getString(ClusterStats.LLM_HIST));
        Percentiles.mergeEncoded(h[1], entry.getString(ClusterStats.E2E_HIST));
      }
    }
    byKey.forEach((key, sum) -> sum.put("llm_ms", Percentiles.json(histograms.get(key)[0]))
        .put("e2e_ms", Percentiles.json(histograms.get(key)[1])));
    return new JsonArray(new ArrayList<>(byKey.values()));
  }

  /** Per budget: effective rates and waiting tasks summed, limits as configured (the same on every node). */
  static JsonArray budgets(Collection<JsonObject> nodes) {
    Map<String, JsonObject> byKey = new TreeMap<>();
    for (JsonObject node : nodes) {
      for (Object o : node.getJsonArray("budgets", new JsonArray())) {
        JsonObject b = (JsonObject) o;
        String key = b.getString("key");
        JsonObject sum = byKey.computeIfAbsent(key, k -> new JsonObject().put("key", key)
            .put("provider", b.getString("provider"))
            .put("model", key.equals(b.getString("provider")) ? null : key.substring(key.indexOf('/') + 1)));
        for (String field : BUDGET_SUMMED) {
          sum.put(field, sum.getLong(field, 0L) + b.getLong(field, 0L));
        }
        for (String field : BUDGET_LIMITS) {
          sum.put(field, Math.max(sum.getLong(field, 0L), b.getLong(field, 0L)));
        }
      }
    }
    return new JsonArray(new ArrayList<>(byKey.values()));
  }

  /** The API shows percentiles; the encoded histograms are only for merging. */
  static JsonArray withoutHistograms(JsonArray usage) {
    JsonArray out = new JsonArray();
    for (Object o : usage) {
      JsonObject copy = ((JsonObject) o).copy();
      copy.remove(ClusterStats.LLM_HIST);
      copy.remove(ClusterStats.E2E_HIST);
      out.add(copy);
    }
    return out;
  }
}
