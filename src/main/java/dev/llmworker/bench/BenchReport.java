package dev.llmworker.bench;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** What one bench run measured. */
public record BenchReport(
    int tasks,
    int warmup,
    int latencyMs,
    int concurrency,
    int instances,
    int workerNodes,
    double seconds,
    long sqsCalls,
    Map<String, Long> sqsCallsByOperation,
    long p50OverheadMs,
    long p99OverheadMs,
    long lost,
    long duplicates,
    long duplicateLlmCalls,
    double cpuMsPerTask,
    long peakRssMb,
    int simMaxConcurrent,
    long deadLettered,
    Map<String, Double> cpuMsPerTaskByThread,
    int rpm,
    int tpm,
    long rateLimited429,
    long tokensPerTask,
    String endpoint) {

  /** Tasks per second the rate limits allow, or infinity when there are none. */
  public double limit() {
    double limit = Double.POSITIVE_INFINITY;
    if (rpm > 0) {
      limit = rpm / 60.0;
    }
    if (tpm > 0) {
      limit = Math.min(limit, tpm / 60.0 / tokensPerTask);
    }
    return limit;
  }

  public double throughput() {
    return tasks / seconds;
  }

  public double ideal() {
    return concurrency * 1000.0 / latencyMs;
  }

  public double efficiency() {
    return throughput() / Math.min(ideal(), limit());
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("tasks", tasks)
        .put("endpoint", endpoint)
        .put("warmup_tasks", warmup)
        .put("seconds", round(seconds))
        .put("throughput", round(throughput()))
        .put("ideal", round(ideal()))
        .put("limit", Double.isInfinite(limit()) ? null : round(limit()))
        .put("rpm", rpm)
        .put("tpm", tpm)
        .put("achieved_budget_ratio", Double.isInfinite(limit()) ? null : round(throughput() / limit()))
        .put("rate_limited_429", rateLimited429)
        .put("efficiency", round(efficiency()))
        .put("sqs_calls_per_task", round((double) sqsCalls / tasks))
        .put("sqs_calls", new JsonObject(Map.copyOf(sqsCallsByOperation)))
        .put("p50_overhead_ms", p50OverheadMs)
        .put("p99_overhead_ms", p99OverheadMs)
        .put("lost", lost)
        .put("duplicates", duplicates)
        .put("duplicate_llm_calls", duplicateLlmCalls)
        .put("dead_lettered", deadLettered)
        .put("cpu_ms_per_task", round(cpuMsPerTask))
        .put("cpu_ms_per_task_by_thread", byThread())
        .put("peak_rss_mb", peakRssMb)
        .put("sim_max_concurrent", simMaxConcurrent)
        .put("concurrency", concurrency)
        .put("instances", instances)
        .put("worker_nodes", workerNodes)
        .put("latency_ms", latencyMs);
  }

  public String summary() {
    return String.format("""
        bench: %d %s tasks measured after %d warm-up tasks, latency %d ms, concurrency %d (%d worker instances%s)
          time            %.2f s
          throughput      %.1f tasks/s (ideal %.1f, rate limit %s, efficiency %.3f, 429s %d)
          SQS calls/task  %.3f %s
          overhead        p50 %d ms, p99 %d ms (time in llm-worker beyond the LLM call)
          CPU per task    %.2f ms (whole process: llm-worker + embedded SQS + simulator) %s
          peak RSS        %d MB
          over all tasks: lost %d, duplicate result lines %d, duplicate LLM calls %d, dead-lettered %d, simulator peak concurrency %d""",
        tasks, endpoint, warmup, latencyMs, concurrency, instances,
        workerNodes == 0 ? "" : " in each of " + workerNodes + " worker-only JVMs; CPU and RSS are the bench JVM's",
        seconds, throughput(), ideal(),
        Double.isInfinite(limit()) ? "none" : String.format("%.1f/s from rpm %d tpm %d", limit(), rpm, tpm),
        efficiency(), rateLimited429,
        (double) sqsCalls / tasks, sqsCallsByOperation, p50OverheadMs, p99OverheadMs, cpuMsPerTask, byThread(), peakRssMb,
        lost, duplicates, duplicateLlmCalls, deadLettered, simMaxConcurrent);
  }

  private JsonObject byThread() {
    JsonObject out = new JsonObject();
    cpuMsPerTaskByThread.forEach((group, ms) -> out.put(group, round(ms)));
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
