package dev.llmworker.limits;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.bus.BudgetDemand;
import dev.llmworker.bus.BusCodecs;
import dev.llmworker.bus.PeerTable;
import dev.llmworker.task.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits every rate budget between the live worker nodes of a cluster so that the configured limit holds for the
 * cluster, not per node. Each node publishes its demand per budget twice a second; every node computes its own
 * share as its demand over the sum (plus one per node, so a node that has just started asking is not starved). A
 * node that stops announcing drops out after {@link #EXPIRY_MS} and the others take its part back. Alone, a node
 * keeps the whole budget. It also applies budget changes made at run time (dashboard, {@code POST /api/budgets})
 * to this node: every node gets them, so the cluster's split stays consistent.
 */
public final class BudgetShareVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BudgetShareVerticle.class);
  static final long PERIOD_MS = 500;
  static final long EXPIRY_MS = 2000;

  private final Budgets budgets;
  private final String nodeId;
  private final PeerTable<Map<String, Long>> others = new PeerTable<>(EXPIRY_MS);
  private MessageConsumer<BudgetDemand> consumer;
  private MessageConsumer<JsonObject> changes;
  private long timer;

  public BudgetShareVerticle(Budgets budgets, String nodeId) {
    this.budgets = budgets;
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    BusCodecs.ensure(vertx);
    budgets.useTimerContext(context); // this verticle lives as long as the node's workers, whatever their number
    consumer = vertx.eventBus().consumer(Addresses.BUDGET_DEMAND, m -> heard(m.body()));
    changes = vertx.eventBus().consumer(Addresses.CONTROL_BUDGETS, m -> changed(m.body()));
    timer = vertx.setPeriodic(PERIOD_MS, id -> round());
    return Future.join(consumer.completion(), changes.completion());
  }

  private void changed(JsonObject change) {
    try {
      budgets.configure(vertx, change.getString("provider"), change.getString("model"),
          new LlmwConfig.Limit(change.getLong("rpm", 0L), change.getLong("tpm", 0L)));
      LOG.info("budget of {}{} set to {} rpm / {} tpm", change.getString("provider"),
          change.getString("model") == null ? "" : "/" + change.getString("model"), change.getLong("rpm", 0L),
          change.getLong("tpm", 0L));
    } catch (IllegalArgumentException e) {
      LOG.warn("budget change ignored: {}", e.getMessage()); // this node does not serve that provider
    }
  }

  private void heard(BudgetDemand demand) {
    String node = demand.node();
    if (node == null || node.equals(nodeId)) {
      return;
    }
    others.heard(node, demand.weights(), System.currentTimeMillis());
  }

  /** Publish this node's demand, then recompute its shares from everyone's latest. */
  private void round() {
    Map<String, Long> mine = budgets.demand();
    vertx.eventBus().publish(Addresses.BUDGET_DEMAND, new BudgetDemand(nodeId, mine));
    long now = System.currentTimeMillis();
    others.expire(now);
    for (String key : budgets.keys()) {
      budgets.setShare(key, share(key, mine.getOrDefault(key, 0L)));
    }
  }

  /** Nodes that have no such budget (they never called that model) take no part of it. */
  private double share(String key, long myWeight) {
    double total = myWeight + 1;
    for (Map<String, Long> weights : others.values()) {
      Long weight = weights.get(key);
      if (weight != null) {
        total += weight + 1;
      }
    }
    return (myWeight + 1) / total;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.join(consumer.unregister(), changes.unregister());
  }
}
