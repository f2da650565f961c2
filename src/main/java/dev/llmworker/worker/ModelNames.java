package dev.llmworker.worker;

import dev.llmworker.app.LlmwConfig;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model names this node keeps state for (statistics, Prometheus series, budgets, token calibration). A task
 * chooses its model, so a queue with a million random model names must not create a million of each: a name is
 * tracked when it is configured (a provider's {@code models}, {@code modelMap}, {@code modelLimits}, {@code prices}),
 * when a provider has answered it successfully, or while fewer than {@link #UNPROVEN_CAP} unproven names are tracked
 * per provider. Every other name is counted as {@link #OTHER}. The request itself still carries the task's name.
 * Thread-safe; one per node.
 */
public final class ModelNames {
  public static final String OTHER = "other";
  /** Names tracked per provider before any of their calls succeeded. */
  static final int UNPROVEN_CAP = 100;
  /** Names tracked per provider in all (a provider may answer with many versioned names). */
  static final int TOTAL_CAP = 1000;

  private final Map<String, Set<String>> tracked = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> proven = new ConcurrentHashMap<>();

  public ModelNames(LlmwConfig config) {
    for (LlmwConfig.Provider p : config.providers()) {
      Set<String> names = new HashSet<>(p.models());
      names.addAll(p.modelMap().keySet());
      names.addAll(p.modelMap().values());
      p.modelLimits().keySet().forEach(k -> names.add(k.contains("/") ? k.substring(k.indexOf('/') + 1) : k));
      names.addAll(config.prices().keySet());
      proven.put(p.name(), ConcurrentHashMap.newKeySet());
      proven.get(p.name()).addAll(names);
      tracked.put(p.name(), ConcurrentHashMap.newKeySet());
    }
  }

  /** The name to keep state under for a call of {@code model} at {@code provider}: itself, or {@link #OTHER}. */
  public String track(String provider, String model) {
    if (model == null) {
      return OTHER;
    }
    Set<String> known = proven.computeIfAbsent(provider, k -> ConcurrentHashMap.newKeySet());
    if (known.contains(model)) {
      return model;
    }
    Set<String> trying = tracked.computeIfAbsent(provider, k -> ConcurrentHashMap.newKeySet());
    synchronized (trying) {
      if (trying.contains(model) || trying.size() < UNPROVEN_CAP) {
        trying.add(model);
        return model;
      }
    }
    return OTHER;
  }

  /** The provider answered {@code model}: keep its own state from now on (up to {@link #TOTAL_CAP} names). */
  public String succeeded(String provider, String model) {
    if (model == null) {
      return OTHER;
    }
    Set<String> known = proven.computeIfAbsent(provider, k -> ConcurrentHashMap.newKeySet());
    synchronized (known) {
      if (known.contains(model) || known.size() < TOTAL_CAP) {
        known.add(model);
        return model;
      }
    }
    return OTHER;
  }
}
