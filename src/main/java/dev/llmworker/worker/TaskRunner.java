package dev.llmworker.worker;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.monitor.FailureLog;
import dev.llmworker.monitor.NodeStats;
import dev.llmworker.provider.LlmProvider;
import dev.llmworker.provider.ProviderFailure;
import dev.llmworker.provider.ProviderReply;
import dev.llmworker.retry.Backoff;
import dev.llmworker.task.ResultLine;
import dev.llmworker.task.Task;
import dev.llmworker.task.TaskDecoder;
import dev.llmworker.task.TaskEnvelope;
import dev.llmworker.task.TaskOutcome;
import dev.llmworker.task.TaskRejected;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task: decode, pick its provider, call, retry throttling and transient failures in process, fall back
 * to the next provider when one keeps failing or its circuit is open, and turn the end of it into a
 * {@link TaskOutcome} with the result line. Never fails: every path is an outcome.
 */
final class TaskRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
  /** Transient failures in a row on one provider before the next in its fallback list is tried. */
  static final int FALLBACK_AFTER = 2;

  /** Where a task stands: its provider chain, which one is in use, and how many attempts it has had. */
  private record Attempt(Task task, List<String> chain, int index, int number, long llmMs, int failuresHere,
      long running, TaskControl control) {
    String provider() {
      return chain.get(index);
    }

    Attempt next(long addedMs, int newIndex, int failures) {
      return new Attempt(task, chain, newIndex, number + 1, llmMs + addedMs, failures, running, control);
    }
  }

  private final Vertx vertx;
  private final Map<String, LlmProvider> providers;
  private final NodeLlm llm;
  private final ProviderCall call;
  private final TaskDecoder decoder;
  private final LlmwConfig.Retry retry;
  private final NodeStats stats;
  private final Backoff backoff;
  private int backingOff;

  TaskRunner(Vertx vertx, Map<String, LlmProvider> providers, NodeLlm llm, LlmwConfig.Retry retry, NodeStats stats) {
    this.vertx = vertx;
    this.providers = providers;
    this.llm = llm;
    this.call = new ProviderCall(vertx, llm, stats);
    this.decoder = new TaskDecoder(llm.routes().names());
    this.retry = retry;
    this.backoff = new Backoff(retry.baseDelayMs(), Math.max(retry.baseDelayMs(), retry.maxDelayMs()));
    this.stats = stats;
  }

  Future<TaskOutcome> run(TaskEnvelope envelope) {
    return run(envelope, TaskControl.unbounded());
  }

  /** Runs the task until it ends, its deadline passes or its poller cancels it. */
  Future<TaskOutcome> run(TaskEnvelope envelope, TaskControl control) {
    Task task;
    try {
      task = decoder.decode(envelope.body());
    } catch (TaskRejected rejected) {
      LOG.warn("task {} (message {}) rejected: {}", rejected.customId(), envelope.messageId(), rejected.getMessage());
      return Future.succeededFuture(deadLetter(rejected.customId(), rejected.code(), rejected.getMessage(), 0, null,
          null));
    }
    String provider = llm.routes().route(task);
    String unsupported = llm.routes().unsupported(task, provider);
    if (unsupported != null) {
      LOG.warn("task {} refused: {}", task.customId(), unsupported);
      return Future.succeededFuture(deadLetter(task.customId(), "unsupported_endpoint", unsupported, 0, provider,
          task.model()));
    }
    List<String> chain = llm.routes().chain(provider, task.endpoint());
    long running = stats.running.started(task.customId(), chain.get(0), task.model());
    return attempt(new Attempt(task, chain, 0, 1, 0, 0, running, control))
        .onComplete(ar -> stats.running.finished(running));
  }

  private Future<TaskOutcome> attempt(Attempt wanted) {
    if (wanted.control().cancelled()) {
      return Future.succeededFuture(TaskOutcome.givenBack("cancelled", "given back by its poller"));
    }
    int index = firstClosedCircuit(wanted);
    if (index < 0) {
      return failed(wanted, 0, new ProviderFailure(ProviderFailure.Kind.TRANSIENT, 0, -1,
          "circuit open for every provider of " + wanted.chain()));
    }
    Attempt a = index == wanted.index() ? wanted : movedTo(wanted, index);
    long start = System.nanoTime();
    return call.call(providers.get(a.provider()), a.task())
        .map(reply -> succeeded(a, reply))
        .recover(error -> failed(a, (System.nanoTime() - start) / 1_000_000, error));
  }

  /** The attempt goes to a later provider of its chain: that one's circuit is closed, the current one's is not. */
  private Attempt movedTo(Attempt wanted, int index) {
    Attempt a = new Attempt(wanted.task(), wanted.chain(), index, wanted.number(), wanted.llmMs(), 0,
        wanted.running(), wanted.control());
    stats.running.moved(a.running(), a.provider());
    return a;
  }

  /**
   * The first provider from the current one whose circuit lets a call through; -1 if none does. A provider with
   * no fallback is always called: holding its tasks back would not serve them sooner.
   */
  private int firstClosedCircuit(Attempt a) {
    if (a.chain().size() == 1) {
      return a.index();
    }
    for (int i = a.index(); i < a.chain().size(); i++) {
      if (llm.circuits().tryAcquire(a.chain().get(i))) {
        return i;
      }
    }
    return -1;
  }

  private TaskOutcome succeeded(Attempt a, ProviderReply reply) {
    stats.recordLlmCall(reply.latencyMs());
    long prompt = reply.usage().promptTokens();
    long completion = reply.usage().completionTokens();
    Double cost = llm.cost(reply.model(), a.task().model(), prompt, completion);
    String tracked = llm.models().track(reply.provider(), reply.model()); // the statistics' name for it
    String endpoint = a.task().endpoint().label;
    stats.llm.succeeded(reply.provider(), tracked, endpoint, prompt, completion, cost == null ? 0 : cost,
        reply.latencyMs());
    ResultLine.Meta meta = new ResultLine.Meta(a.number(), reply.provider(), reply.latencyMs(), reply.model(), cost,
        a.index() > 0 ? a.chain().get(0) : null, llm.keepRaw() ? reply.raw() : null);
    return TaskOutcome.succeeded(a.task().customId(), ResultLine.success(a.task().customId(), reply.statusCode(),
        reply.requestId(), reply.body(), reply.usage(), meta), a.number(), a.llmMs() + reply.latencyMs(),
        reply.provider(), tracked, endpoint);
  }

  private Future<TaskOutcome> failed(Attempt a, long tookMs, Throwable error) {
    stats.llmCalls.increment();
    ProviderFailure failure = error instanceof ProviderFailure f ? f
        : new ProviderFailure(ProviderFailure.Kind.TRANSIENT, 0, -1, String.valueOf(error.getMessage()));
    String customId = a.task().customId();
    stats.failures.record(FailureLog.Kind.ATTEMPT, customId, failure.statusCode(), failure.code(),
        failure.getMessage(), a.provider(), a.task().model());
    if (failure.kind() == ProviderFailure.Kind.RATE_LIMITED) {
      stats.rateLimited.increment();
    }
    if (failure.kind() == ProviderFailure.Kind.PERMANENT) {
      LOG.warn("task {} failed permanently: {}", customId, failure.getMessage());
      return Future.succeededFuture(deadLetter(customId, failure.code(), failure.getMessage(), a.number(),
          a.provider(), a.task().model()));
    }
    int maxAttempts = failure.kind() == ProviderFailure.Kind.RATE_LIMITED
        ? retry.rateLimitedMaxAttempts() : retry.inProcessMaxAttempts();
    if (a.number() >= maxAttempts) {
      LOG.info("task {} still failing after {} attempts ({}); returning it to SQS", customId, a.number(),
          failure.getMessage());
      return Future.succeededFuture(TaskOutcome.retry(customId, failure.code(), failure.getMessage(), a.number()));
    }
    stats.retried.increment();
    int failuresHere = failure.kind() == ProviderFailure.Kind.TRANSIENT ? a.failuresHere() + 1 : 0;
    if (failuresHere >= FALLBACK_AFTER && a.index() + 1 < a.chain().size()) {
      LOG.info("task {}: {} failed {} times in a row ({}); falling back to {}", customId, a.provider(),
          failuresHere, failure.getMessage(), a.chain().get(a.index() + 1));
      stats.running.moved(a.running(), a.chain().get(a.index() + 1));
      return attempt(a.next(tookMs, a.index() + 1, 0));
    }
    long delay = backoff.delayMs(a.number(), failure.retryAfterMs());
    if (delay >= a.control().leftMs()) {
      LOG.info("task {}: the next attempt would start after worker.taskTimeoutSeconds; returning it to SQS ({})",
          customId, failure.getMessage());
      String code = failure.kind() == ProviderFailure.Kind.RATE_LIMITED ? failure.code() : "task_timeout";
      return Future.succeededFuture(TaskOutcome.retry(customId, code, "worker.taskTimeoutSeconds reached after "
          + a.number() + " attempts; last error: " + failure.getMessage(), a.number()));
    }
    LOG.debug("task {} attempt {} failed ({}); retrying in {} ms", customId, a.number(), failure.getMessage(), delay);
    return backOff(delay).compose(v -> attempt(a.next(tookMs, a.index(), failuresHere)));
  }

  private Future<Void> backOff(long delayMs) {
    backingOff++;
    stats.backingOff.incrementAndGet();
    Promise<Void> wait = Promise.promise();
    vertx.setTimer(delayMs, id -> {
      backingOff--;
      stats.backingOff.decrementAndGet();
      wait.complete();
    });
    return wait.future();
  }

  /** Tasks of this runner now waiting for a retry backoff to pass. */
  int backingOff() {
    return backingOff;
  }

  private TaskOutcome deadLetter(String customId, String code, String reason, int attempts, String provider,
      String model) {
    ResultLine.Meta meta = new ResultLine.Meta(attempts, provider != null ? provider : llm.routes().defaultName(), 0);
    return TaskOutcome.deadLetter(customId, ResultLine.failure(customId, code, reason, meta), code, reason, attempts,
        provider, model);
  }
}
