package dev.llmworker.worker;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.monitor.NodeStats;
import dev.llmworker.provider.LlmProvider;
import dev.llmworker.provider.ProviderFailure;
import dev.llmworker.provider.ProviderReply;
import dev.llmworker.task.ResultLine;
import dev.llmworker.task.Task;
import dev.llmworker.task.TaskDecoder;
import dev.llmworker.task.TaskEnvelope;
import dev.llmworker.task.TaskOutcome;
import dev.llmworker.task.TaskRejected;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task: decode, call the provider, retry throttling and transient failures in process, and turn
 * the end of it into a {@link TaskOutcome} with the result line. Never fails: every path is an outcome.
 */
final class TaskRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

  private final Vertx vertx;
  private final LlmProvider provider;
  private final TaskDecoder decoder;
  private final LlmwConfig.Retry retry;
  private final NodeStats stats;
  private int backingOff;

  TaskRunner(Vertx vertx, LlmProvider provider, LlmwConfig.Retry retry, NodeStats stats) {
    this.vertx = vertx;
    this.provider = provider;
    this.decoder = new TaskDecoder(provider.name(), Set.of(provider.name()));
    this.retry = retry;
    this.stats = stats;
  }

  Future<TaskOutcome> run(TaskEnvelope envelope) {
    Task task;
    try {
      task = decoder.decode(envelope.body());
    } catch (TaskRejected rejected) {
      LOG.warn("task {} (message {}) rejected: {}", rejected.customId(), envelope.messageId(), rejected.getMessage());
      return Future.succeededFuture(deadLetter(rejected.customId(), rejected.code(), rejected.getMessage(), 0));
    }
    return attempt(task, 1, 0);
  }

  private Future<TaskOutcome> attempt(Task task, int attempt, long llmMsSoFar) {
    long start = System.nanoTime();
    return provider.complete(task)
        .map(reply -> succeeded(task, reply, attempt, llmMsSoFar + reply.latencyMs()))
        .recover(error -> failed(task, attempt, llmMsSoFar + (System.nanoTime() - start) / 1_000_000, error));
  }

  private TaskOutcome succeeded(Task task, ProviderReply reply, int attempt, long llmMs) {
    stats.recordLlmCall(reply.latencyMs());
    ResultLine.Meta meta = new ResultLine.Meta(attempt, provider.name(), reply.latencyMs());
    return TaskOutcome.succeeded(task.customId(), ResultLine.success(task.customId(), reply.statusCode(),
        reply.requestId(), reply.body(), ResultLine.Usage.from(reply.body()), meta), attempt, llmMs);
  }

  private Future<TaskOutcome> failed(Task task, int attempt, long llmMs, Throwable error) {
    stats.llmCalls.increment();
    ProviderFailure failure = error instanceof ProviderFailure f ? f
        : new ProviderFailure(ProviderFailure.Kind.TRANSIENT, 0, -1, String.valueOf(error.getMessage()));
    if (failure.kind() == ProviderFailure.Kind.RATE_LIMITED) {
      stats.rateLimited.increment();
    }
    if (failure.kind() == ProviderFailure.Kind.PERMANENT) {
      LOG.warn("task {} failed permanently: {}", task.customId(), failure.getMessage());
      return Future.succeededFuture(deadLetter(task.customId(), failure.code(), failure.getMessage(), attempt));
    }
    int maxAttempts = failure.kind() == ProviderFailure.Kind.RATE_LIMITED
        ? retry.rateLimitedMaxAttempts() : retry.inProcessMaxAttempts();
    if (attempt >= maxAttempts) {
      LOG.info("task {} still failing after {} attempts ({}); returning it to SQS", task.customId(), attempt,
          failure.getMessage());
      return Future.succeededFuture(TaskOutcome.retry(task.customId(), failure.code(), failure.getMessage(), attempt));
    }
    stats.retried.increment();
    long delay = Backoff.retryDelayMs(attempt, retry.baseDelayMs(), retry.maxDelayMs(), failure.retryAfterMs());
    LOG.debug("task {} attempt {} failed ({}); retrying in {} ms", task.customId(), attempt, failure.getMessage(), delay);
    backingOff++;
    stats.backingOff.incrementAndGet();
    Promise<Void> wait = Promise.promise();
    vertx.setTimer(delay, id -> {
      backingOff--;
      stats.backingOff.decrementAndGet();
      wait.complete();
    });
    return wait.future().compose(v -> attempt(task, attempt + 1, llmMs));
  }

  /** Tasks of this runner now waiting for a retry backoff to pass. */
  int backingOff() {
    return backingOff;
  }

  private TaskOutcome deadLetter(String customId, String code, String reason, int attempts) {
    ResultLine.Meta meta = new ResultLine.Meta(attempts, provider.name(), 0);
    return TaskOutcome.deadLetter(customId, ResultLine.failure(customId, code, reason, meta), code, reason, attempts);
  }
}
