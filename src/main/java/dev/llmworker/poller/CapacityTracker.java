package dev.llmworker.poller;

import dev.llmworker.task.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The live worker capacity, summed from the workers' announcements. A worker that stops announcing
 * (undeployed, or its node died) drops out after {@link #EXPIRY_MS}, so credits never wait on the dead.
 */
final class CapacityTracker {
  static final long EXPIRY_MS = 3500;

  /** @param budgetRoom what the worker's node said its rate budgets can start soon; -1 unlimited */
  private record Announcement(int capacity, int backingOff, String node, long budgetRoom, long seenAt) {}

  private final Vertx vertx;
  private final Runnable onChange;
  private final Map<String, Announcement> workers = new HashMap<>();
  private MessageConsumer<JsonObject> consumer;
  private long pruner;
  private int total;
  private int backingOff;
  private long budgetRoom = -1;
  private int dispatchedSinceRoom;

  CapacityTracker(Vertx vertx, Runnable onChange) {
    this.vertx = vertx;
    this.onChange = onChange;
  }

  Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.CAPACITY, m -> update(m.body()));
    pruner = vertx.setPeriodic(1000, id -> prune());
    return consumer.completion()
        .onSuccess(v -> vertx.eventBus().publish(Addresses.CAPACITY_QUERY, new JsonObject()));
  }

  int total() {
    return total;
  }

  /** Tasks at the live workers that wait for a retry backoff (as of their last announcement). */
  int backingOff() {
    return backingOff;
  }

  private void update(JsonObject announcement) {
    String worker = announcement.getString("worker");
    int capacity = announcement.getInteger("capacity", 0);
    if (capacity <= 0) {
      workers.remove(worker);
    } else {
      workers.put(worker, new Announcement(capacity, announcement.getInteger("backing_off", 0),
          announcement.getString("node", worker), announcement.getLong("budget_room", -1L),
          System.currentTimeMillis()));
    }
    if (announcement.containsKey("budget_room")) {
      dispatchedSinceRoom = 0;
    }
    recompute();
  }

  private void prune() {
    long now = System.currentTimeMillis();
    workers.values().removeIf(a -> now - a.seenAt() > EXPIRY_MS);
    recompute();
  }

  /**
   * How many more tasks the rate budgets of the live worker nodes can start within the admission horizon, less
   * what was sent since they last said so; -1 when no budget bounds it.
   */
  long budgetRoom() {
    return budgetRoom < 0 ? -1 : Math.max(0, budgetRoom - dispatchedSinceRoom);
  }

  void dispatched() {
    dispatchedSinceRoom++;
  }

  private void recompute() {
    int sum = workers.values().stream().mapToInt(Announcement::capacity).sum();
    int waiting = workers.values().stream().mapToInt(Announcement::backingOff).sum();
    long room = nodeRoom();
    if (sum != total || waiting != backingOff || room != budgetRoom) {
      total = sum;
      backingOff = waiting;
      budgetRoom = room;
      onChange.run();
    }
  }

  /** Each node's room counted once (all its workers announce the same node budgets); any unlimited node: -1. */
  private long nodeRoom() {
    Map<String, Long> byNode = new HashMap<>();
    for (Announcement a : workers.values()) {
      byNode.put(a.node(), a.budgetRoom());
    }
    long room = 0;
    for (long r : byNode.values()) {
      if (r < 0) {
        return -1;
      }
      room += r;
    }
    return byNode.isEmpty() ? -1 : room;
  }

  Future<Void> stop() {
    vertx.cancelTimer(pruner);
    return consumer.unregister();
  }
}
