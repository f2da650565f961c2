package dev.llmworker.worker;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.limits.Budgets;
import dev.llmworker.limits.TokenEstimator;
import dev.llmworker.monitor.NodeStats;
import dev.llmworker.provider.Circuits;
import dev.llmworker.provider.ProviderRoutes;
import java.util.Map;

/**
 * What all worker verticles of a node share about LLM calls: routing, the rate budgets, the circuit breakers,
 * the token estimator and the price table. Thread-safe; created once per node.
 */
public record NodeLlm(ProviderRoutes routes, Budgets budgets, Circuits circuits, TokenEstimator estimator,
    Map<String, LlmwConfig.Price> prices, boolean keepRaw, ModelNames models) {

  public static NodeLlm create(LlmwConfig config, NodeStats stats) {
    Budgets budgets = new Budgets(config.providers());
    stats.llm.budgetSource(budgets::snapshot);
    return new NodeLlm(new ProviderRoutes(config.providers()), budgets, new Circuits(config.providers()),
        new TokenEstimator(), config.prices(), config.results().keepRaw(), new ModelNames(config));
  }

  /** Estimated cost in USD from the price table (the provider's model name first, then the task's), or null. */
  Double cost(String providerModel, String taskModel, long prompt, long completion) {
    LlmwConfig.Price price = prices.getOrDefault(providerModel, prices.get(taskModel));
    return price == null ? null : price.cost(prompt, completion);
  }
}
