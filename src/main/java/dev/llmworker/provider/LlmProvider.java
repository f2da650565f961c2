package dev.llmworker.provider;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.task.Task;
import io.vertx.core.Future;

/**
 * One configured LLM API. Answers in OpenAI chat-completion shape whatever the API, and fails with
 * {@link ProviderFailure} so callers can tell throttling and retryable failures from permanent ones.
 */
public interface LlmProvider {
  String name();

  LlmwConfig.Provider config();

  Future<ProviderReply> complete(Task task);

  Future<Void> close();
}
