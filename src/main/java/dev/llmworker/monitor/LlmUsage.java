package dev.llmworker.monitor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/** LLM calls of this node by provider and model: requests, outcomes, tokens and estimated cost. Thread-safe. */
public final class LlmUsage {
  private static final class Counters {
    final LongAdder requests = new LongAdder();
    final LongAdder succeeded = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder promptTokens = new LongAdder();
    final LongAdder completionTokens = new LongAdder();
    final LongAdder latencyMs = new LongAdder();
    final DoubleAdder costUsd = new DoubleAdder();
  }

  private final Map<String, Counters> byKey = new ConcurrentHashMap<>();
  private volatile Supplier<JsonArray> budgets = JsonArray::new;

  public void succeeded(String provider, String model, long prompt, long completion, double cost, long latencyMs) {
    Counters c = counters(provider, model);
    c.requests.increment();
    c.succeeded.increment();
    c.promptTokens.add(prompt);
    c.completionTokens.add(completion);
    c.costUsd.add(cost);
    c.latencyMs.add(latencyMs);
  }

  public void failed(String provider, String model, boolean rateLimited) {
    Counters c = counters(provider, model);
    c.requests.increment();
    c.failed.increment();
    if (rateLimited) {
      c.rateLimited.increment();
    }
  }

  /** Where the budgets' live state comes from (the node's {@code Budgets}). */
  public void budgetSource(Supplier<JsonArray> source) {
    this.budgets = source;
  }

  private Counters counters(String provider, String model) {
    return byKey.computeIfAbsent(provider + "\u0000" + model, k -> new Counters());
  }

  /** One entry per provider and model, in the shape the monitor sums across nodes. */
  public JsonArray snapshot() {
    JsonArray out = new JsonArray();
    byKey.forEach((key, c) -> {
      String[] parts = key.split("\u0000", 2);
      long ok = c.succeeded.sum();
      out.add(new JsonObject()
          .put("provider", parts[0])
          .put("model", parts[1])
          .put("requests", c.requests.sum())
          .put("succeeded", ok)
          .put("failed", c.failed.sum())
          .put("rate_limited", c.rateLimited.sum())
          .put("prompt_tokens", c.promptTokens.sum())
          .put("completion_tokens", c.completionTokens.sum())
          .put("cost_usd", c.costUsd.sum())
          .put("avg_latency_ms", ok == 0 ? 0 : c.latencyMs.sum() / ok));
    });
    return out;
  }

  public JsonArray budgets() {
    return budgets.get();
  }
}
