package dev.llmworker.limits;

import dev.llmworker.app.LlmwConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The node's rate budgets: one per provider and one per model that has its own limit. Shared by all worker
 * verticles of the node under one lock (a permit may span two budgets); waiting is done with timers on the
 * caller's own context, never by blocking.
 */
public final class Budgets {
  private final Map<String, Budget> budgets = new LinkedHashMap<>();
  private final Map<String, LlmwConfig.Limit> modelLimits = new HashMap<>();
  private final LongSupplier clock;
  private final Map<String, ArrayDeque<Waiter>> queues = new HashMap<>();
  /** The timer of each model key whose queue is being pumped. */
  /** The pump timer of each queue with waiters (-1 while it is being set on {@link #timers}). */
  private final Map<String, Long> pumpTimers = new HashMap<>();
  /**
   * Where pump timers live: a context that outlives worker instances (the node's budget-share verticle). A timer set
   * on a worker verticle's context dies when that instance is undeployed (scaling down), and its queue would wait
   * for ever. Null (tests that use budgets alone): the caller's context.
   */
  private Context timers;

  public Budgets(List<LlmwConfig.Provider> providers) {
    this(providers, () -> System.nanoTime() / 1_000_000);
  }

  Budgets(List<LlmwConfig.Provider> providers, LongSupplier clockMs) {
    this.clock = clockMs;
    long now = clockMs.getAsLong();
    for (LlmwConfig.Provider p : providers) {
      budgets.put(p.name(), new Budget(p.name(), p.name(), p.limit(), now));
      p.modelLimits().forEach((model, limit) -> modelLimits.put(p.name() + "/" + model, limit));
    }
  }

  /** A task waiting for its budgets, answered on its own context. */
  private record Waiter(List<Budget> budgets, long cost, Context context, Promise<Permit> promise) {}

  /**
   * Completes when {@code cost} tokens and one request fit every budget the call counts against. Waiters are
   * served first come, first served per model, so no task starves behind luckier ones. The caller must settle the
   * permit ({@link Permit#used}, {@link Permit#rateLimited}, ...) once the provider has answered.
   */
  public Future<Permit> acquire(Vertx vertx, String provider, String model, long cost) {
    List<Budget> list = budgetsFor(provider, model);
    String key = list.get(list.size() - 1).key;
    Waiter waiter;
    synchronized (this) {
      ArrayDeque<Waiter> queue = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
      if (queue.isEmpty() && tryTake(list, cost) == 0) {
        return Future.succeededFuture(new Permit(this, list, cost));
      }
      waiter = new Waiter(list, cost, vertx.getOrCreateContext(), Promise.promise());
      queue.addLast(waiter);
      list.forEach(b -> b.waiting++);
      if (!pumpTimers.containsKey(key)) {
        schedulePump(vertx, key, waitMs(list, cost, clock.getAsLong()));
      }
    }
    return waiter.promise().future();
  }

  /** Lets through every waiter at the head of the queue that fits now; comes back when the next one will. */
  private void pump(Vertx vertx, String key) {
    List<Waiter> ready = new ArrayList<>();
    synchronized (this) {
      ArrayDeque<Waiter> queue = queues.get(key);
      long wait = 0;
      while (!queue.isEmpty() && (wait = tryTake(queue.peekFirst().budgets(), queue.peekFirst().cost())) == 0) {
        Waiter w = queue.pollFirst();
        w.budgets().forEach(b -> b.waiting--);
        ready.add(w);
      }
      if (queue.isEmpty()) {
        pumpTimers.remove(key);
      } else {
        schedulePump(vertx, key, wait);
      }
    }
    ready.forEach(w -> w.context().runOnContext(v -> w.promise().complete(new Permit(this, w.budgets(), w.cost()))));
  }

  /** Pump timers are set on {@code context} from now on (the node's budget-share verticle's). */
  public synchronized void useTimerContext(Context context) {
    this.timers = context;
  }

  /** Caller holds the lock. */
  private void schedulePump(Vertx vertx, String key, long waitMs) {
    long delay = Math.max(1, waitMs);
    if (timers == null) {
      pumpTimers.put(key, vertx.setTimer(delay, id -> pump(vertx, key)));
      return;
    }
    pumpTimers.put(key, -1L);
    timers.runOnContext(v -> {
      long id = vertx.setTimer(delay, t -> pump(vertx, key));
      synchronized (this) {
        pumpTimers.computeIfPresent(key, (k, old) -> old == -1L ? id : old);
      }
    });
  }

  /** How long until every budget of {@code list} has room for the request. Caller holds the lock. */
  private static long waitMs(List<Budget> list, long cost, long now) {
    long wait = 0;
    for (Budget b : list) {
      wait = Math.max(wait, b.waitMs(now, cost));
    }
    return wait;
  }

  /** Takes from every budget, or from none and says how long to wait. Caller holds the lock. */
  private long tryTake(List<Budget> list, long cost) {
    long now = clock.getAsLong();
    long wait = waitMs(list, cost, now);
    if (wait == 0) {
      list.forEach(b -> b.take(now, cost));
    }
    return wait;
  }

  /**
   * The provider's budget, then the model's: providers limit per model (OpenAI, Anthropic), so each model gets
   * its own budget that learns the model's limit from the answers' headers, bounded by {@code modelLimits}.
   */
  private synchronized List<Budget> budgetsFor(String provider, String model) {
    String key = provider + "/" + model;
    Budget modelBudget = budgets.computeIfAbsent(key, k -> new Budget(k, provider,
        modelLimits.getOrDefault(k, LlmwConfig.Limit.NONE), clock.getAsLong()));
    return List.of(budgets.get(provider), modelBudget);
  }

  /**
   * The most tokens one request may count against the budgets of {@code provider}/{@code model}: the smallest tpm
   * limit among them (configured, or learned from the provider's headers); -1 when none limits tokens. A request
   * charged more can never start.
   */
  public synchronized long largestCharge(String provider, String model) {
    long largest = -1;
    for (Budget b : budgetsFor(provider, model)) {
      long tpm = b.tpmLimit();
      if (tpm > 0 && (largest < 0 || tpm < largest)) {
        largest = tpm;
      }
    }
    return largest;
  }

  synchronized long now() {
    return clock.getAsLong();
  }

  /**
   * How many more tasks the budgets can start within {@code horizonMs}, beyond those already waiting; -1 when a
   * provider in use has no limit at all (then only worker capacity bounds what is received). A provider's room is
   * its own budget's, or, when only its models are limited, the sum over its models.
   */
  public synchronized long room(long horizonMs) {
    long now = clock.getAsLong();
    long room = 0;
    boolean anyLimited = false;
    for (Budget p : budgets.values()) {
      if (!p.key.equals(p.provider)) {
        continue;
      }
      long providerRoom = p.limited() ? p.room(horizonMs) : modelRoom(p.provider, horizonMs);
      if (providerRoom < 0 && p.usedWithin(now, 10_000)) {
        return -1;
      }
      if (providerRoom >= 0) {
        anyLimited = true;
        room += providerRoom;
      }
    }
    return anyLimited ? room : -1;
  }

  private long modelRoom(String provider, long horizonMs) {
    long room = -1;
    for (Budget m : budgets.values()) {
      if (m.provider.equals(provider) && !m.key.equals(provider) && m.limited()) {
        room = Math.max(room, 0) + m.room(horizonMs);
      }
    }
    return room;
  }

  /**
   * Changes a configured limit at run time: the provider's own budget when {@code model} is null, else the
   * model's. Waiting tasks are served at the new rate from now on.
   */
  public synchronized void configure(Vertx vertx, String provider, String model, LlmwConfig.Limit limit) {
    if (!budgets.containsKey(provider)) {
      throw new IllegalArgumentException("no provider named '" + provider + "'");
    }
    long now = clock.getAsLong();
    if (model == null) {
      budgets.get(provider).configure(limit, now);
    } else {
      modelLimits.put(provider + "/" + model, limit);
      budgetsFor(provider, model).get(1).configure(limit, now);
    }
    // waiters were timed at the old rate: look at every queue again now
    for (String key : List.copyOf(pumpTimers.keySet())) {
      long old = pumpTimers.get(key);
      if (old >= 0) {
        vertx.cancelTimer(old);
      }
      schedulePump(vertx, key, 0);
    }
  }

  /** This node's part of each budget, e.g. 0.5 when two nodes share the provider's limit. */
  public synchronized void setShare(String key, double share) {
    Budget b = budgets.get(key);
    if (b != null) {
      b.setShare(share, clock.getAsLong());
    }
  }

  /**
   * How much this node wants of each limited budget since the last call: tasks waiting for it plus tasks it let
   * through. Used to split a budget between the nodes of a cluster in proportion to what each needs.
   */
  public synchronized Map<String, Long> demand() {
    Map<String, Long> out = new LinkedHashMap<>();
    budgets.values().forEach(b -> {
      if (b.limited()) {
        out.put(b.key, b.waiting + b.granted - b.grantedAtLastDemand);
        b.grantedAtLastDemand = b.granted;
      }
    });
    return out;
  }

  public synchronized List<String> keys() {
    return List.copyOf(budgets.keySet());
  }

  public synchronized JsonArray snapshot() {
    long now = clock.getAsLong();
    JsonArray out = new JsonArray();
    budgets.values().forEach(b -> out.add(b.snapshot(now)));
    return out;
  }
}
