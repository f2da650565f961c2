package dev.llmworker.provider;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.task.Endpoint;
import dev.llmworker.task.Task;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which provider serves a task: the one it names; else the first whose {@code models} lists its model and that
 * serves its endpoint; else the default (first configured) when it serves the endpoint; else the first that does.
 * And which providers to fall back to, in order, when that one keeps failing: only those serving the endpoint.
 */
public final class ProviderRoutes {
  /** The endpoints each provider type can serve. */
  private static final Map<String, Set<Endpoint>> SERVED = Map.of(
      "openai", EnumSet.allOf(Endpoint.class),
      "azure", EnumSet.of(Endpoint.CHAT, Endpoint.COMPLETIONS, Endpoint.EMBEDDINGS, Endpoint.RESPONSES),
      "anthropic", EnumSet.of(Endpoint.CHAT, Endpoint.RESPONSES),
      "bedrock", EnumSet.of(Endpoint.CHAT, Endpoint.RESPONSES, Endpoint.EMBEDDINGS));

  private final Map<String, LlmwConfig.Provider> byName = new LinkedHashMap<>();
  private final String defaultName;

  public ProviderRoutes(List<LlmwConfig.Provider> providers) {
    this.defaultName = providers.get(0).name();
    for (LlmwConfig.Provider p : providers) {
      byName.put(p.name(), p);
    }
  }

  /** The endpoints a provider of this type serves. */
  public static Set<Endpoint> served(String type) {
    return SERVED.getOrDefault(type, Set.of());
  }

  public String defaultName() {
    return defaultName;
  }

  public java.util.Set<String> names() {
    return byName.keySet();
  }

  /** Whether the named provider serves {@code endpoint}. */
  public boolean serves(String name, Endpoint endpoint) {
    LlmwConfig.Provider p = byName.get(name);
    return p != null && served(p.type()).contains(endpoint);
  }

  /** The configured providers that serve {@code endpoint}, in order. */
  public List<String> serving(Endpoint endpoint) {
    return byName.keySet().stream().filter(name -> serves(name, endpoint)).toList();
  }

  /** A task naming no provider goes where its model and endpoint are served. Unknown names were rejected. */
  public String route(Task task) {
    if (task.provider() != null) {
      return task.provider();
    }
    Endpoint endpoint = task.endpoint();
    for (LlmwConfig.Provider p : byName.values()) {
      if (p.models().contains(task.model()) && serves(p.name(), endpoint)) {
        return p.name();
      }
    }
    if (serves(defaultName, endpoint)) {
      return defaultName;
    }
    List<String> serving = serving(endpoint);
    return serving.isEmpty() ? defaultName : serving.get(0);
  }

  /**
   * Why the task cannot be served by {@code name}, where {@link #route} sent it (that provider's type has no such
   * endpoint), or null. The
   * same check runs in {@code submit} and in the workers, before any call.
   */
  public String unsupported(Task task, String name) {
    if (serves(name, task.endpoint())) {
      return null;
    }
    List<String> serving = serving(task.endpoint());
    return "provider " + name + " (" + byName.get(name).type() + ") does not serve " + task.endpoint().url
        + (serving.isEmpty() ? "; no configured provider does"
        : "; configured providers that do: " + serving + " (name one in the task's \"provider\")");
  }

  /** The provider first, then those of its fallbacks that serve {@code endpoint}, in order. */
  public List<String> chain(String name, Endpoint endpoint) {
    List<String> chain = new ArrayList<>();
    chain.add(name);
    byName.get(name).fallbacks().stream().filter(f -> serves(f, endpoint)).forEach(chain::add);
    return chain;
  }
}
