package dev.llmworker.monitor;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * This node's figures as Micrometer meters, for {@code /metrics}: tasks by outcome, in flight, LLM calls, tokens,
 * cost, 429s and latency per provider and model, and the rate budgets. Reads the live counters; nothing is
 * counted twice.
 */
public final class NodeMetrics {
  private final MeterRegistry registry;
  private final NodeStats stats;
  private final List<MultiGauge> budgetGauges;

  private NodeMetrics(MeterRegistry registry, NodeStats stats) {
    this.registry = registry;
    this.stats = stats;
    this.budgetGauges = List.of(
        MultiGauge.builder("llmw.budget.rpm.limit").description("Requests per minute allowed (configured or "
            + "learned from the provider's headers; 0 = unlimited)").register(registry),
        MultiGauge.builder("llmw.budget.rpm.effective").description("Requests per minute this node may start now "
            + "(its share, after backing off from 429s)").register(registry),
        MultiGauge.builder("llmw.budget.tpm.limit").description("Tokens per minute allowed (0 = unlimited)")
            .register(registry),
        MultiGauge.builder("llmw.budget.tpm.effective").description("Tokens per minute this node may use now")
            .register(registry));
  }

  public static NodeMetrics bind(MeterRegistry registry, NodeStats stats) {
    NodeMetrics m = new NodeMetrics(registry, stats);
    m.bindTasks();
    stats.llm.forEachEntry(m::bindLlm);
    return m;
  }

  private void bindTasks() {
    counter("llmw.tasks.received", "Tasks received from SQS", Tags.empty(), s -> s.received.sum());
    counter("llmw.tasks.settled", "Tasks settled, by outcome", Tags.of("outcome", "succeeded"),
        s -> s.succeeded.sum());
    counter("llmw.tasks.settled", "Tasks settled, by outcome", Tags.of("outcome", "dead_lettered"),
        s -> s.deadLettered.sum());
    counter("llmw.tasks.settled", "Tasks settled, by outcome", Tags.of("outcome", "returned"),
        s -> s.returned.sum());
    counter("llmw.tasks.settled", "Tasks settled, by outcome", Tags.of("outcome", "requeued"),
        s -> s.requeued.sum());
    counter("llmw.results.unstorable", "Results or dead letters SQS would not store after retries", Tags.empty(),
        s -> s.unstorable.sum());
    counter("llmw.tasks.recovered", "Tasks taken back from a worker that went silent and returned to SQS at once",
        Tags.empty(), s -> s.recovered.sum());
    counter("llmw.task.retries", "In-process retries of LLM calls", Tags.empty(), s -> s.retried.sum());
    counter("llmw.sqs.calls", "Calls made to SQS", Tags.empty(), NodeStats::sqsCalls);
    gauge("llmw.tasks.in.flight", "Tasks received and not settled yet", s -> s.inFlight.get());
    gauge("llmw.tasks.running", "Tasks running on this node's workers", s -> s.running.count());
    gauge("llmw.tasks.backing.off", "Tasks waiting for a retry backoff", s -> s.backingOff.get());
    gauge("llmw.worker.instances", "Worker verticle instances on this node", s -> s.workerInstances.get());
    gauge("llmw.worker.capacity", "Worker slots this node's poller may fill (its share of the cluster's)",
        s -> s.capacity.get());
    gauge("llmw.polling.paused", "1 while polling is paused from the dashboard", s -> s.paused.get() ? 1 : 0);
  }

  private void bindLlm(LlmUsage.Entry e) {
    Tags tags = Tags.of("provider", e.provider, "model", e.model, "endpoint", e.endpoint);
    FunctionCounter.builder("llmw.llm.requests", e, x -> x.succeeded.sum()).tags(tags).tag("outcome", "succeeded")
        .description("LLM calls, by outcome").register(registry);
    FunctionCounter.builder("llmw.llm.requests", e, x -> x.failed.sum()).tags(tags).tag("outcome", "failed")
        .description("LLM calls, by outcome").register(registry);
    FunctionCounter.builder("llmw.llm.rate.limited", e, x -> x.rateLimited.sum()).tags(tags)
        .description("LLM calls answered 429").register(registry);
    FunctionCounter.builder("llmw.llm.tokens", e, x -> x.promptTokens.sum()).tags(tags).tag("kind", "prompt")
        .description("Tokens used, as the provider reported them").register(registry);
    FunctionCounter.builder("llmw.llm.tokens", e, x -> x.completionTokens.sum()).tags(tags)
        .tag("kind", "completion").description("Tokens used, as the provider reported them").register(registry);
    FunctionCounter.builder("llmw.llm.cost.usd", e, x -> x.costUsd.sum()).tags(tags)
        .description("Estimated cost in US dollars, from the configured prices").register(registry);
    Timer call = timer("llmw.llm.latency", "Time of a successful LLM call", tags);
    Timer task = timer("llmw.task.duration", "Time from receiving a task to settling it", tags);
    e.sink = new LlmUsage.LatencySink() {
      @Override
      public void call(long millis) {
        call.record(millis, TimeUnit.MILLISECONDS);
      }

      @Override
      public void task(long millis) {
        task.record(millis, TimeUnit.MILLISECONDS);
      }
    };
  }

  /** Refreshes the per-budget gauges (budgets appear as models are first used). Call about once a second. */
  public void refresh() {
    List<JsonObject> budgets = stats.llm.budgets().stream().map(JsonObject.class::cast).toList();
    String[] fields = {"rpm_limit", "rpm_effective", "tpm_limit", "tpm_effective"};
    for (int i = 0; i < fields.length; i++) {
      String field = fields[i];
      budgetGauges.get(i).register(budgets.stream().map(b -> MultiGauge.Row.of(
          Tags.of("budget", b.getString("key"), "provider", b.getString("provider")),
          b.getLong(field, 0L))).toList(), true);
    }
  }

  private Timer timer(String name, String description, Tags tags) {
    return Timer.builder(name).description(description).tags(tags).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry);
  }

  private void counter(String name, String description, Tags tags, ToDoubleFunction<NodeStats> f) {
    FunctionCounter.builder(name, stats, f).description(description).tags(tags).register(registry);
  }

  private void gauge(String name, String description, ToDoubleFunction<NodeStats> f) {
    Gauge.builder(name, stats, f).description(description).register(registry);
  }
}
