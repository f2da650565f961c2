package dev.llmworker.monitor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * LLM calls of this node by provider, model and endpoint (chat, embeddings, ...): requests, outcomes, tokens,
 * estimated cost, and the latency of the calls and of whole tasks. Thread-safe.
 */
public final class LlmUsage {
  /** One provider, model and endpoint. Package-private so {@link NodeMetrics} can expose it. */
  static final class Entry {
    final String provider;
    final String model;
    final String endpoint;
    final LongAdder requests = new LongAdder();
    final LongAdder succeeded = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder promptTokens = new LongAdder();
    final LongAdder completionTokens = new LongAdder();
    final DoubleAdder costUsd = new DoubleAdder();
    final Histogram llmMs = Percentiles.histogram();
    final Histogram endToEndMs = Percentiles.histogram();
    /** Extra recorders (Prometheus timers), set once when the entry is created. */
    volatile LatencySink sink = LatencySink.NONE;

    Entry(String provider, String model, String endpoint) {
      this.provider = provider;
      this.model = model;
      this.endpoint = endpoint;
    }
  }

  /** Where call and task latencies go besides the dashboard's histograms. */
  interface LatencySink {
    LatencySink NONE = new LatencySink() {
      @Override
      public void call(long millis) {}

      @Override
      public void task(long millis) {}
    };

    void call(long millis);

    void task(long millis);
  }

  private final Map<String, Entry> byKey = new ConcurrentHashMap<>();
  private volatile Supplier<JsonArray> budgets = JsonArray::new;
  private volatile Consumer<Entry> onNewEntry = e -> {};

  public void succeeded(String provider, String model, String endpoint, long prompt, long completion, double cost,
      long latencyMs) {
    Entry c = entry(provider, model, endpoint);
    c.requests.increment();
    c.succeeded.increment();
    c.promptTokens.add(prompt);
    c.completionTokens.add(completion);
    c.costUsd.add(cost);
    Percentiles.record(c.llmMs, latencyMs);
    c.sink.call(latencyMs);
  }

  public void failed(String provider, String model, String endpoint, boolean rateLimited) {
    Entry c = entry(provider, model, endpoint);
    c.requests.increment();
    c.failed.increment();
    if (rateLimited) {
      c.rateLimited.increment();
    }
  }

  /** A task answered by this provider and model was settled, {@code millis} after it was received. */
  public void settled(String provider, String model, String endpoint, long millis) {
    Entry c = entry(provider, model, endpoint);
    Percentiles.record(c.endToEndMs, millis);
    c.sink.task(millis);
  }

  /** Where the budgets' live state comes from (the node's {@code Budgets}). */
  public void budgetSource(Supplier<JsonArray> source) {
    this.budgets = source;
  }

  /** Called for every entry, existing and future (metrics registration). */
  synchronized void forEachEntry(Consumer<Entry> action) {
    onNewEntry = action;
    byKey.values().forEach(action);
  }

  /** {@code endpoint} null (an outcome from an older node) counts as chat. */
  private Entry entry(String provider, String model, String endpoint) {
    String ep = endpoint == null ? "chat" : endpoint;
    String key = provider + "\u0000" + model + "\u0000" + ep;
    Entry e = byKey.get(key);
    return e != null ? e : newEntry(key, provider, model, ep);
  }

  private synchronized Entry newEntry(String key, String provider, String model, String endpoint) {
    Entry e = byKey.get(key);
    if (e == null) {
      e = new Entry(provider, model, endpoint);
      onNewEntry.accept(e);
      byKey.put(key, e);
    }
    return e;
  }

  long failedTotal() {
    return byKey.values().stream().mapToLong(e -> e.failed.sum()).sum();
  }

  /**
   * One entry per provider, model and endpoint, in the shape the monitor sums across nodes; {@code llm_hist} and
   * {@code e2e_hist} carry the histograms for merging and are dropped from what the API shows.
   */
  public JsonArray snapshot() {
    JsonArray out = new JsonArray();
    byKey.values().forEach(c -> out.add(new JsonObject()
        .put("provider", c.provider)
        .put("model", c.model)
        .put("endpoint", c.endpoint)
        .put("requests", c.requests.sum())
        .put("succeeded", c.succeeded.sum())
        .put("failed", c.failed.sum())
        .put("rate_limited", c.rateLimited.sum())
        .put("prompt_tokens", c.promptTokens.sum())
        .put("completion_tokens", c.completionTokens.sum())
        .put("cost_usd", c.costUsd.sum())
        .put("llm_ms", Percentiles.json(c.llmMs))
        .put("e2e_ms", Percentiles.json(c.endToEndMs))
        .put(ClusterStats.LLM_HIST, Percentiles.encode(c.llmMs))
        .put(ClusterStats.E2E_HIST, Percentiles.encode(c.endToEndMs))));
    return out;
  }

  public JsonArray budgets() {
    return budgets.get();
  }
}
