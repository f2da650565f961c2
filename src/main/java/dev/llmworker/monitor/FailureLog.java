package dev.llmworker.monitor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;

/**
 * The most recent failed LLM attempts and dead-lettered tasks of this node, newest last. Messages are cut to
 * {@link #MAX_MESSAGE} characters: a provider's error body can be large, and the dashboard only needs the gist.
 * Thread-safe.
 */
public final class FailureLog {
  static final int KEPT = 100;
  static final int MAX_MESSAGE = 500;

  public enum Kind { ATTEMPT, DEAD_LETTERED, UNSTORABLE }

  private final ArrayDeque<JsonObject> entries = new ArrayDeque<>();
  private final String nodeId;

  FailureLog(String nodeId) {
    this.nodeId = nodeId;
  }

  /** {@code status} 0 when there was no HTTP answer (timeout, connection refused) or none applies. */
  public void record(Kind kind, String customId, int status, String code, String message, String provider,
      String model) {
    JsonObject entry = new JsonObject()
        .put("at", System.currentTimeMillis())
        .put("node", nodeId)
        .put("custom_id", customId)
        .put("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
        .put("status", status)
        .put("code", code)
        .put("message", truncate(message))
        .put("provider", provider)
        .put("model", model);
    synchronized (entries) {
      entries.addLast(entry);
      if (entries.size() > KEPT) {
        entries.removeFirst();
      }
    }
  }

  JsonArray snapshot() {
    synchronized (entries) {
      return new JsonArray(new java.util.ArrayList<>(entries));
    }
  }

  static String truncate(String s) {
    if (s == null || s.length() <= MAX_MESSAGE) {
      return s;
    }
    return s.substring(0, MAX_MESSAGE) + "… (" + s.length() + " chars)";
  }
}
