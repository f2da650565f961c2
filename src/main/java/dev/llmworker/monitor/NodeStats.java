package dev.llmworker.monitor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * This node's counters, shared by its verticles (thread-safe). Invariant, at any moment:
 * {@code received = succeeded + dead_lettered + returned + requeued + in_flight} (kept by the poller's
 * {@code MessageLedger}).
 */
public final class NodeStats {
  private final String nodeId;
  private final String host;
  private final List<String> roles;
  private final long startedAt = System.currentTimeMillis();

  public final LongAdder received = new LongAdder();
  public final LongAdder succeeded = new LongAdder();
  public final LongAdder deadLettered = new LongAdder();
  /** Given back to SQS by a visibility change: the next receive counts against the task's receives. */
  public final LongAdder returned = new LongAdder();
  /**
   * Sent back to the tasks queue as a fresh message (and the old one deleted): throttling, a pause, a shutdown or a
   * lost worker does not use up the task's receives.
   */
  public final LongAdder requeued = new LongAdder();
  /** Results or dead letters SQS would not store even after retries (see the failures list for each). */
  public final LongAdder unstorable = new LongAdder();
  /** Tasks taken back from a worker that went silent (its node died) and returned to SQS at once. */
  public final LongAdder recovered = new LongAdder();
  /** Tasks received by this node's poller and not yet settled. */
  public final AtomicInteger inFlight = new AtomicInteger();
  /** Tasks handed to workers and not answered yet: what the credits bound. */
  public final AtomicInteger dispatched = new AtomicInteger();
  /** The most tasks this node's poller ever had at workers at once (never above capacity). */
  public final AtomicInteger peakDispatched = new AtomicInteger();
  /** Worker slots this node's poller may fill: its share of the cluster's live worker slots. */
  public final AtomicInteger capacity = new AtomicInteger();
  public final AtomicInteger workerInstances = new AtomicInteger();
  public final AtomicInteger workerBusy = new AtomicInteger();
  /** Tasks at this node's workers waiting for a retry backoff (throttling, transient errors). */
  public final AtomicInteger backingOff = new AtomicInteger();
  /** In-process retries of provider calls (429, 5xx, timeouts). */
  public final LongAdder retried = new LongAdder();
  public final LongAdder rateLimited = new LongAdder();
  public final LongAdder llmCalls = new LongAdder();

  /** The poller of this node is paused (dashboard control): it receives nothing until resumed. */
  public final AtomicBoolean paused = new AtomicBoolean();

  private final Histogram endToEndMs = Percentiles.histogram();
  private final Histogram llmMs = Percentiles.histogram();
  private final Histogram overheadMs = Percentiles.histogram();
  private volatile LongSupplier sqsCalls = () -> 0;
  private final ThroughputMeter throughput = new ThroughputMeter();
  /** LLM calls by provider and model, and the node's rate budgets. */
  public final LlmUsage llm = new LlmUsage();
  /** Tasks this node's workers are running now. */
  public final RunningTasks running = new RunningTasks();
  /** Recent failed attempts and dead-lettered tasks. */
  public final FailureLog failures;

  public NodeStats(String nodeId, List<String> roles) {
    this(nodeId, "localhost", roles);
  }

  /** @param host this machine's name, as in the node id: where this node's files are */
  public NodeStats(String nodeId, String host, List<String> roles) {
    this.nodeId = nodeId;
    this.host = host;
    this.roles = List.copyOf(roles);
    this.failures = new FailureLog(nodeId);
  }

  public String nodeId() {
    return nodeId;
  }

  public String host() {
    return host;
  }

  public void sqsCallSource(LongSupplier source) {
    this.sqsCalls = source;
  }

  /** One task done: receive to result stored, the part of it spent in LLM calls, and who answered it. */
  public void recordSettled(long endToEnd, long llmTime, String provider, String model, String endpoint) {
    Percentiles.record(endToEndMs, endToEnd);
    Percentiles.record(overheadMs, endToEnd - llmTime);
    if (provider != null) {
      llm.settled(provider, model, endpoint, endToEnd);
    }
  }

  public void recordLlmCall(long millis) {
    llmCalls.increment();
    Percentiles.record(llmMs, millis);
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
        .put("requeued", requeued.sum())
        .put("unstorable", unstorable.sum())
        .put("recovered", recovered.sum())
        .put("retried", retried.sum())
        .put("backing_off", backingOff.get())
        .put("rate_limited", rateLimited.sum())
        .put("llm_calls", llmCalls.sum())
        .put("failed_attempts", llm.failedTotal())
        .put("throughput", throughput.perSecond())
        .put("paused", paused.get())
        .put("latency_ms", Percentiles.json(endToEndMs))
        .put("llm_latency_ms", Percentiles.json(llmMs))
        .put("overhead_ms", Percentiles.json(overheadMs))
        .put("sqs_calls", sqsCalls())
        .put("llm", llm.snapshot())
        .put("budgets", llm.budgets())
        .put("running", running.count())
        .put("tasks", running.snapshot())
        .put("failures", failures.snapshot())
        .put("heap_used_mb", (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024))
        .put("heap_max_mb", rt.maxMemory() / (1024 * 1024))
        .put("uptime_s", (System.currentTimeMillis() - startedAt) / 1000)
        .put("pid", ManagementFactory.getRuntimeMXBean().getPid())
        .put("at", System.currentTimeMillis());
  }
}
