package dev.llmworker.provider;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.task.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which provider serves a task: the one it names, else the first whose {@code models} lists its model, else the
 * default (first configured). And which providers to fall back to, in order, when that one keeps failing.
 */
public final class ProviderRoutes {
  private final Map<String, LlmwConfig.Provider> byName = new LinkedHashMap<>();
  private final Map<String, String> byModel = new LinkedHashMap<>();
  private final String defaultName;

  public ProviderRoutes(List<LlmwConfig.Provider> providers) {
    this.defaultName = providers.get(0).name();
    for (LlmwConfig.Provider p : providers) {
      byName.put(p.name(), p);
      p.models().forEach(model -> byModel.putIfAbsent(model, p.name()));
    }
  }

  public String defaultName() {
    return defaultName;
  }

  public java.util.Set<String> names() {
    return byName.keySet();
  }

  /** A task naming no provider goes where its model is served. The decoder has rejected unknown names already. */
  public String route(Task task) {
    if (task.provider() != null) {
      return task.provider();
    }
    return byModel.getOrDefault(task.model(), defaultName);
  }

  /** The provider first, then its fallbacks in order. */
  public List<String> chain(String name) {
    List<String> chain = new ArrayList<>();
    chain.add(name);
    chain.addAll(byName.get(name).fallbacks());
    return chain;
  }
}
