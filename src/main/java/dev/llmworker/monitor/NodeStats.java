package dev.llmworker.monitor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * This node's counters, shared by its verticles (thread-safe). Invariant, at any moment:
 * {@code received = succeeded + dead_lettered + returned + in_flight}.
 */
public final class NodeStats {
  private final String nodeId;
  private final List<String> roles;
  private final long startedAt = System.currentTimeMillis();

  public final LongAdder received = new LongAdder();
  public final LongAdder succeeded = new LongAdder();
  public final LongAdder deadLettered = new LongAdder();
  public final LongAdder returned = new LongAdder();
  /** Tasks received by this node's poller and not yet settled. */
  public final AtomicInteger inFlight = new AtomicInteger();
  /** Tasks handed to workers and not answered yet: what the credits bound. */
  public final AtomicInteger dispatched = new AtomicInteger();
  /** The most tasks this node's poller ever had at workers at once (never above capacity). */
  public final AtomicInteger peakDispatched = new AtomicInteger();
  /** Worker capacity the poller currently counts on (cluster-wide). */
  public final AtomicInteger capacity = new AtomicInteger();
  public final AtomicInteger workerInstances = new AtomicInteger();
  public final AtomicInteger workerBusy = new AtomicInteger();
  /** Tasks at this node's workers waiting for a retry backoff (throttling, transient errors). */
  public final AtomicInteger backingOff = new AtomicInteger();
  /** In-process retries of provider calls (429, 5xx, timeouts). */
  public final LongAdder retried = new LongAdder();
  public final LongAdder rateLimited = new LongAdder();
  public final LongAdder llmCalls = new LongAdder();

  private final Histogram endToEndMs = new ConcurrentHistogram(3_600_000L, 2);
  private final Histogram llmMs = new ConcurrentHistogram(3_600_000L, 2);
  private final Histogram overheadMs = new ConcurrentHistogram(3_600_000L, 2);
  private volatile LongSupplier sqsCalls = () -> 0;
  private final ThroughputMeter throughput = new ThroughputMeter();
  /** LLM calls by provider and model, and the node's rate budgets. */
  public final LlmUsage llm = new LlmUsage();

  public NodeStats(String nodeId, List<String> roles) {
    this.nodeId = nodeId;
    this.roles = List.copyOf(roles);
  }

  public String nodeId() {
    return nodeId;
  }

  public void sqsCallSource(LongSupplier source) {
    this.sqsCalls = source;
  }

  /** One task done: receive to result stored, and the part of it spent in LLM calls. */
  public void recordSettled(long endToEnd, long llm) {
    endToEndMs.recordValue(clamp(endToEnd));
    overheadMs.recordValue(clamp(endToEnd - llm));
  }

  public void recordLlmCall(long millis) {
    llmCalls.increment();
    llmMs.recordValue(clamp(millis));
  }

  public Histogram overheadHistogram() {
    return overheadMs.copy();
  }

  public long sqsCalls() {
    return sqsCalls.getAsLong();
  }

  /** Call about once a second: feeds the throughput figure. */
  public void tick() {
    throughput.sample(succeeded.sum() + deadLettered.sum());
  }

  public JsonObject snapshot() {
    Runtime rt = Runtime.getRuntime();
    return new JsonObject()
        .put("id", nodeId)
        .put("roles", new JsonArray(roles))
        .put("worker_instances", workerInstances.get())
        .put("worker_busy", workerBusy.get())
        .put("capacity", capacity.get())
        .put("in_flight", inFlight.get())
        .put("dispatched", dispatched.get())
        .put("peak_dispatched", peakDispatched.get())
        .put("received", received.sum())
        .put("succeeded", succeeded.sum())
        .put("dead_lettered", deadLettered.sum())
        .put("returned", returned.sum())
        .put("retried", retried.sum())
        .put("backing_off", backingOff.get())
        .put("rate_limited", rateLimited.sum())
        .put("llm_calls", llmCalls.sum())
        .put("throughput", throughput.perSecond())
        .put("latency_ms", percentiles(endToEndMs))
        .put("llm_latency_ms", percentiles(llmMs))
        .put("overhead_ms", percentiles(overheadMs))
        .put("sqs_calls", sqsCalls())
        .put("llm", llm.snapshot())
        .put("budgets", llm.budgets())
        .put("heap_used_mb", (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024))
        .put("uptime_s", (System.currentTimeMillis() - startedAt) / 1000)
        .put("pid", ManagementFactory.getRuntimeMXBean().getPid())
        .put("at", System.currentTimeMillis());
  }

  private static JsonObject percentiles(Histogram h) {
    Histogram copy = h.copy();
    return new JsonObject()
        .put("count", copy.getTotalCount())
        .put("p50", copy.getValueAtPercentile(50))
        .put("p95", copy.getValueAtPercentile(95))
        .put("p99", copy.getValueAtPercentile(99));
  }

  private static long clamp(long millis) {
    return Math.max(0, Math.min(millis, 3_600_000L));
  }
}
