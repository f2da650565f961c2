package dev.llmworker.monitor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;

/**
 * The dashboard's charts: one point a second for the last 15 minutes (throughput, failures, in flight vs
 * capacity, worker instances), and the rates derived from it (cost per hour, time to drain the backlog).
 * Only the monitor's event loop touches it.
 */
final class History {
  static final int POINTS = 900;
  /** Cost per hour is the cost of the last minute, times 60. */
  private static final int COST_WINDOW = 60;

  private final ArrayDeque<JsonObject> points = new ArrayDeque<>();
  private JsonObject previous;

  /** Adds a point from a fresh cluster snapshot. */
  void add(JsonObject stats) {
    JsonObject totals = stats.getJsonObject("totals");
    long at = stats.getLong("at");
    double seconds = previous == null ? 0 : Math.max(0.001, (at - previous.getLong("at")) / 1000.0);
    JsonObject point = new JsonObject()
        .put("at", at)
        .put("throughput", totals.getDouble("throughput", 0.0))
        .put("failures_per_s", rate(totals, "failed_attempts", seconds))
        .put("dead_lettered_per_s", rate(totals, "dead_lettered", seconds))
        .put("in_flight", totals.getLong("in_flight", 0L))
        .put("capacity", totals.getLong("capacity", 0L))
        .put("worker_instances", totals.getLong("worker_instances", 0L))
        .put("cost_usd", totals.getDouble("cost_usd", 0.0));
    previous = new JsonObject().put("at", at).put("totals", totals);
    points.addLast(point);
    if (points.size() > POINTS) {
      points.removeFirst();
    }
  }

  private double rate(JsonObject totals, String key, double seconds) {
    if (seconds == 0) {
      return 0;
    }
    long delta = totals.getLong(key, 0L) - previous.getJsonObject("totals").getLong(key, 0L);
    return Math.round(Math.max(0, delta) / seconds * 100) / 100.0; // a node leaving lowers the sums: not negative
  }

  JsonArray points() {
    return new JsonArray(new java.util.ArrayList<>(points));
  }

  /** Adds the newest point and the derived rates to a snapshot the API hands out. */
  JsonObject decorate(JsonObject stats) {
    JsonObject totals = stats.getJsonObject("totals");
    totals.put("cost_per_hour_usd", costPerHour());
    double throughput = totals.getDouble("throughput", 0.0);
    JsonObject tasks = stats.getJsonObject("queues", new JsonObject()).getJsonObject("tasks");
    long backlog = tasks == null ? 0 : tasks.getLong("visible", 0L) + tasks.getLong("delayed", 0L);
    boolean draining = throughput > 0 && !stats.getBoolean("paused", false);
    totals.put("drain_eta_s", draining ? Long.valueOf(Math.round(backlog / throughput)) : null);
    return stats.put("point", points.peekLast());
  }

  private double costPerHour() {
    if (points.size() < 2) {
      return 0;
    }
    JsonObject last = points.peekLast();
    JsonObject first = points.size() > COST_WINDOW
        ? points.stream().skip(points.size() - 1 - COST_WINDOW).findFirst().orElseThrow() : points.peekFirst();
    double hours = (last.getLong("at") - first.getLong("at")) / 3_600_000.0;
    return hours <= 0 ? 0 : Math.max(0, last.getDouble("cost_usd") - first.getDouble("cost_usd")) / hours;
  }
}
