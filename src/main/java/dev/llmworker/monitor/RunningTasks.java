package dev.llmworker.monitor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The tasks this node's workers are running now, for the dashboard's "busy" view. Thread-safe. */
public final class RunningTasks {
  /** Entries shown per node: the longest-running ones. */
  static final int SHOWN = 50;

  private record Running(String customId, String provider, String model, long startedNanos) {}

  private final Map<Long, Running> running = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  /** Registers a task; returns the handle for {@link #moved} and {@link #finished}. */
  public long started(String customId, String provider, String model) {
    long id = ids.incrementAndGet();
    running.put(id, new Running(customId, provider, model, System.nanoTime()));
    return id;
  }

  /** The task now calls another provider (fallback). */
  public void moved(long id, String provider) {
    running.computeIfPresent(id, (k, r) -> new Running(r.customId(), provider, r.model(), r.startedNanos()));
  }

  public void finished(long id) {
    running.remove(id);
  }

  int count() {
    return running.size();
  }

  JsonArray snapshot() {
    long now = System.nanoTime();
    JsonArray out = new JsonArray();
    running.values().stream().sorted(Comparator.comparingLong(Running::startedNanos)).limit(SHOWN)
        .forEach(r -> out.add(new JsonObject().put("custom_id", r.customId()).put("provider", r.provider())
            .put("model", r.model()).put("running_s", Math.round((now - r.startedNanos()) / 1e8) / 10.0)));
    return out;
  }
}
