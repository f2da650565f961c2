package dev.llmworker.bus;

import java.util.Map;

/** Worker node → worker nodes, twice a second: how much it wants of each rate budget, by budget key. */
public record BudgetDemand(String node, Map<String, Long> weights) {
  public BudgetDemand {
    weights = Map.copyOf(weights);
  }
}
