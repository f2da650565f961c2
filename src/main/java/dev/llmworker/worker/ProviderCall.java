package dev.llmworker.worker;

import dev.llmworker.limits.Permit;
import dev.llmworker.limits.TokenEstimator.Estimate;
import dev.llmworker.monitor.NodeStats;
import dev.llmworker.provider.LlmProvider;
import dev.llmworker.provider.ProviderFailure;
import dev.llmworker.provider.ProviderReply;
import dev.llmworker.provider.RateHeaders;
import dev.llmworker.task.Task;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * One call to one provider: wait for its rate budget, call, then tell the budget what the call really cost (the
 * provider's {@code usage}) and the circuit breaker how the provider behaved, and count it per provider and model.
 */
final class ProviderCall {
  private final Vertx vertx;
  private final NodeLlm llm;
  private final NodeStats stats;

  ProviderCall(Vertx vertx, NodeLlm llm, NodeStats stats) {
    this.vertx = vertx;
    this.llm = llm;
    this.stats = stats;
  }

  Future<ProviderReply> call(LlmProvider provider, Task task) {
    // state (budget, calibration, statistics) is kept under a bounded set of names; the request keeps the task's
    String requested = provider.config().providerModel(task.model());
    String model = llm.models().track(provider.name(), requested);
    Estimate estimate = llm.estimator().estimate(provider.name(), model, task.endpoint(), task.body());
    long largest = llm.budgets().largestCharge(provider.name(), model);
    if (largest > 0 && estimate.charge() > largest) {
      return Future.failedFuture(ProviderFailure.refused("request_too_large", "the request would count "
          + estimate.charge() + " tokens (about " + estimate.promptCharge() + " prompt + " + estimate.completion()
          + " completion reserved, from max_tokens) against " + provider.name() + "/" + model + "'s limit of "
          + largest + " tokens per minute: it can never be sent; lower max_tokens or raise the budget"));
    }
    Long context = provider.config().contextTokens().get(requested);
    if (context != null && estimate.charge() > context) {
      return Future.failedFuture(ProviderFailure.refused("request_too_large", "the request needs " + estimate.charge()
          + " tokens (about " + estimate.promptCharge() + " prompt + " + estimate.completion() + " max_tokens), more "
          + "than " + requested + "'s context window of " + context + " tokens (contextTokens of provider "
          + provider.name() + "): lower max_tokens or shorten the prompt"));
    }
    return llm.budgets().acquire(vertx, provider.name(), model, estimate.charge())
        .compose(permit -> provider.complete(task)
            .onSuccess(reply -> llm.models().succeeded(provider.name(), requested))
            .onSuccess(reply -> answered(provider, estimate, permit, reply))
            .onFailure(error -> failed(provider, model, task.endpoint().label, estimate, permit, error)));
  }

  private void answered(LlmProvider provider, Estimate estimate, Permit permit, ProviderReply reply) {
    boolean reservesMaxTokens = switch (provider.config().type()) {
      case "openai", "azure" -> true;
      default -> false;
    };
    permit.used(llm.estimator().actual(estimate, reply.usage().promptTokens(), reply.usage().completionTokens(),
        reservesMaxTokens), reply.rateHeaders());
    llm.circuits().succeeded(provider.name(), reply.latencyMs());
  }

  private void failed(LlmProvider provider, String model, String endpoint, Estimate estimate, Permit permit,
      Throwable error) {
    ProviderFailure failure = error instanceof ProviderFailure f ? f : null;
    RateHeaders headers = failure != null ? failure.rateHeaders() : RateHeaders.NONE;
    boolean rateLimited = failure != null && failure.kind() == ProviderFailure.Kind.RATE_LIMITED;
    stats.llm.failed(provider.name(), model, endpoint, rateLimited);
    if (rateLimited) {
      permit.rateLimited(failure.retryAfterMs(), headers);
      llm.circuits().neutral(provider.name());
    } else if (failure != null && failure.statusCode() == 0 && failure.kind() == ProviderFailure.Kind.PERMANENT) {
      permit.unused(); // the request could not even be built for this provider
      llm.circuits().neutral(provider.name());
    } else if (failure != null && failure.kind() == ProviderFailure.Kind.PERMANENT) {
      // the provider is well; the task was wrong. It counted the prompt at most, never the completion reserved
      permit.used(estimate.promptCharge(), headers);
      llm.circuits().succeeded(provider.name(), 0);
    } else {
      permit.used(estimate.promptCharge(), headers);
      llm.circuits().failed(provider.name(), 0, error);
    }
  }
}
