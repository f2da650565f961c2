package dev.llmworker.provider;

import dev.llmworker.task.Task;
import io.vertx.core.Future;

/** One configured LLM API. Fails with {@link ProviderFailure} so callers can tell retryable from permanent. */
public interface LlmProvider {
  String name();

  Future<ProviderReply> complete(Task task);

  Future<Void> close();
}
