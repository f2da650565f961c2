package dev.llmworker.poller;

import dev.llmworker.bus.CapacityAnnouncement;
import dev.llmworker.bus.PeerTable;
import dev.llmworker.bus.PollerHeartbeat;
import dev.llmworker.task.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live worker instances of the cluster and this poller's share of their slots. Workers announce themselves
 * every second, and so do pollers: N pollers split each worker's slots exactly (capacity / N each, the remainder
 * spread by rank), so together they never send more than the cluster can run. A worker silent for
 * {@link #EXPIRY_MS} (its node died, hangs or left) drops out: its slots go. Silent for {@link #TAKE_BACK_MS}, it is
 * given up: {@code onLost} hears of it so the tasks it was running go back to the queue instead of after a timeout.
 * The two differ so that a pause of a few seconds (a GC, a loaded machine) costs no task a second LLM call.
 */
final class CapacityTracker {
  private static final Logger LOG = LoggerFactory.getLogger(CapacityTracker.class);
  static final long EXPIRY_MS = 3500;
  static final long TAKE_BACK_MS = 8000;
  static final long HEARTBEAT_MS = 1000;

  /** @param budgetRoom what the worker's node said its rate budgets can start soon; -1 unlimited */
  private record Worker(int capacity, int backingOff, String node, long budgetRoom) {}

  private final Vertx vertx;
  private final String pollerId = UUID.randomUUID().toString();
  private final Runnable onChange;
  private final Consumer<String> onLost;
  private final PeerTable<Worker> workers = new PeerTable<>(EXPIRY_MS);
  /** Workers that dropped out, by when they were last heard of, until they are given up or heard of again. */
  private final PeerTable<Boolean> silent = new PeerTable<>(TAKE_BACK_MS);
  /** The other live pollers. */
  private final PeerTable<Boolean> pollers = new PeerTable<>(EXPIRY_MS);
  private MessageConsumer<CapacityAnnouncement> announcements;
  private MessageConsumer<PollerHeartbeat> peers;
  private long ticker;
  private int total;
  private int share;
  private int backingOff;
  private long budgetRoom = -1;
  private int dispatchedSinceRoom;
  private List<String> rankOrder = List.of();
  private int rank;

  /** @param onLost called with the id of a worker that went silent (its tasks must be taken back) */
  CapacityTracker(Vertx vertx, Runnable onChange, Consumer<String> onLost) {
    this.vertx = vertx;
    this.onChange = onChange;
    this.onLost = onLost;
  }

  Future<Void> start() {
    announcements = vertx.eventBus().consumer(Addresses.CAPACITY, m -> update(m.body()));
    peers = vertx.eventBus().consumer(Addresses.POLLERS, m -> peer(m.body()));
    ticker = vertx.setPeriodic(HEARTBEAT_MS, id -> tick());
    return Future.join(announcements.completion(), peers.completion()).<Void>mapEmpty().onSuccess(v -> {
      heartbeat(false);
      vertx.eventBus().publish(Addresses.CAPACITY_QUERY, new JsonObject());
    });
  }

  /** Worker slots in the whole cluster. */
  int clusterTotal() {
    return total;
  }

  /** The worker slots this poller may fill: its share of the cluster's. */
  int share() {
    return share;
  }

  /** Live pollers, this one included. */
  int pollers() {
    return pollers.size() + 1;
  }

  /** Tasks at the live workers that wait for a retry backoff (as of their last announcement). */
  int backingOff() {
    return backingOff;
  }

  /**
   * The worker with the most free slots of this poller's share, given how many tasks this poller has at each;
   * null when no live worker takes tasks.
   */
  String pick(ToIntFunction<String> atWorker) {
    String best = null;
    int bestFree = Integer.MIN_VALUE;
    for (String id : workers.ids()) {
      Worker w = workers.get(id);
      if (w.capacity() > 0) {
        int free = shareOf(id, w.capacity()) - atWorker.applyAsInt(id);
        if (free > bestFree) {
          best = id;
          bestFree = free;
        }
      }
    }
    return best;
  }

  /**
   * A worker did not take a task because it is stopping: no more tasks go there, whatever its last announcement
   * said. It stays known until it falls silent, so the tasks it still has are taken back then if it never answers.
   */
  void forget(String worker) {
    Worker w = workers.get(worker);
    if (w != null && w.capacity() > 0) {
      workers.update(worker, old -> new Worker(0, old.backingOff(), old.node(), old.budgetRoom()));
      recompute();
    }
  }

  /**
   * How many more tasks the rate budgets of the live worker nodes can start within the admission horizon (this
   * poller's part of it), less what was sent since they last said so; -1 when no budget bounds it.
   */
  long budgetRoom() {
    if (budgetRoom < 0) {
      return -1;
    }
    int n = pollers();
    return Math.max(0, (budgetRoom + n - 1) / n - dispatchedSinceRoom);
  }

  void dispatched() {
    dispatchedSinceRoom++;
  }

  private void update(CapacityAnnouncement announcement) {
    String worker = announcement.worker();
    silent.remove(worker);
    workers.heard(worker, new Worker(Math.max(0, announcement.capacity()), announcement.backingOff(),
        announcement.node() == null ? worker : announcement.node(), announcement.budgetRoom()),
        System.currentTimeMillis());
    dispatchedSinceRoom = 0;
    recompute();
  }

  private void peer(PollerHeartbeat heartbeat) {
    String id = heartbeat.poller();
    if (id == null || id.equals(pollerId)) {
      return;
    }
    if (heartbeat.gone()) {
      pollers.remove(id);
    } else if (pollers.heard(id, true, System.currentTimeMillis())) {
      heartbeat(false); // a newcomer: tell it about this poller now rather than within a second
    }
    recompute();
  }

  private void heartbeat(boolean gone) {
    vertx.eventBus().publish(Addresses.POLLERS, new PollerHeartbeat(pollerId, gone));
  }

  private void tick() {
    long now = System.currentTimeMillis();
    workers.expire(now).forEach((worker, lastHeard) -> silent.heard(worker, true, lastHeard));
    Set<String> lost = silent.expire(now).keySet();
    pollers.expire(now);
    heartbeat(false);
    recompute();
    for (String worker : lost) {
      try {
        onLost.accept(worker);
      } catch (RuntimeException e) {
        LOG.error("taking back the tasks of silent worker {} failed", worker, e); // the others are still taken back
      }
    }
  }

  private void recompute() {
    List<String> order = pollers.ids();
    order.add(pollerId);
    order.sort(null);
    rankOrder = order;
    rank = order.indexOf(pollerId);
    int sum = 0;
    int mine = 0;
    int waiting = 0;
    for (String id : workers.ids()) {
      Worker w = workers.get(id);
      sum += w.capacity();
      mine += shareOf(id, w.capacity());
      waiting += w.backingOff();
    }
    long room = nodeRoom();
    if (sum != total || mine != share || waiting != backingOff || room != budgetRoom) {
      total = sum;
      share = mine;
      backingOff = waiting;
      budgetRoom = room;
      onChange.run();
    }
  }

  /**
   * This poller's part of a worker's slots. Over all N pollers the parts add up to the worker's capacity exactly:
   * each gets capacity / N, and capacity % N of them (a different set for each worker) one more.
   */
  private int shareOf(String worker, int capacity) {
    int n = rankOrder.size();
    int extra = Math.floorMod(worker.hashCode() + rank, n) < capacity % n ? 1 : 0;
    return capacity / n + extra;
  }

  /** Each node's room counted once (all its workers announce the same node budgets); any unlimited node: -1. */
  private long nodeRoom() {
    Map<String, Long> byNode = new HashMap<>();
    for (Worker w : workers.values()) {
      byNode.put(w.node(), w.budgetRoom());
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

  /** Tells the other pollers at once that this one's share is free again. */
  Future<Void> stop() {
    vertx.cancelTimer(ticker);
    return Future.join(announcements.unregister(), peers.unregister()).<Void>mapEmpty()
        .onComplete(ar -> heartbeat(true));
  }
}
