package dev.llmworker.worker;

import dev.llmworker.task.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker verticle instances of one node, each its own deployment so the node can scale up and down live
 * (dashboard, {@code POST /api/workers}). Scaling down undeploys the newest instances: each stops taking tasks at
 * once and lets the ones it runs finish, so nothing in flight is dropped. Scale requests run one after the other.
 */
public final class WorkerPool {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
  /** The most instances one node may run (each is an event-loop verticle with its own connection pools). */
  public static final int MAX_INSTANCES = 256;

  private final Vertx vertx;
  private final Supplier<WorkerVerticle> factory;
  private final String nodeId;
  private final Deque<String> deployments = new ArrayDeque<>();
  private final Map<String, WorkerVerticle> instances = new HashMap<>();
  private Future<Integer> lastChange = Future.succeededFuture(0);
  private MessageConsumer<JsonObject> control;

  public WorkerPool(Vertx vertx, String nodeId, Supplier<WorkerVerticle> factory) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.factory = factory;
  }

  /** Deploys the first instances and starts answering scale requests for this node. */
  public Future<Integer> start(int instances) {
    control = vertx.eventBus().consumer(Addresses.controlWorkers(nodeId), this::onScaleRequest);
    return control.completion().compose(v -> scaleTo(instances));
  }

  /** Completes with the number of instances once they run (or have stopped). */
  public synchronized Future<Integer> scaleTo(int instances) {
    if (instances < 0 || instances > MAX_INSTANCES) {
      return Future.failedFuture(new IllegalArgumentException(
          "instances must be between 0 and " + MAX_INSTANCES + ", got " + instances));
    }
    lastChange = lastChange.transform(ar -> change(instances));
    return lastChange;
  }

  public synchronized int size() {
    return deployments.size();
  }

  /**
   * Completes when every instance running now has answered its tasks, once a stop or the shutdown's drain phase has
   * reached them; what remains of their undeploy is housekeeping (unregistering from the cluster).
   */
  public synchronized Future<Void> drained() {
    return Future.join(instances.values().stream().map(WorkerVerticle::drained).toList()).mapEmpty();
  }

  /** Undeploys every instance (letting running tasks finish) and stops answering scale requests. */
  public Future<Void> stop() {
    Future<Void> unregistered = control == null ? Future.succeededFuture() : control.unregister();
    return Future.join(unregistered, scaleTo(0)).mapEmpty();
  }

  private void onScaleRequest(Message<JsonObject> message) {
    int wanted = message.body().getInteger("instances", -1);
    scaleTo(wanted)
        .onSuccess(n -> message.reply(new JsonObject().put("node", nodeId).put("instances", n)))
        .onFailure(e -> message.fail(e instanceof IllegalArgumentException ? 400 : 500, e.getMessage()));
  }

  private Future<Integer> change(int wanted) {
    int now = size();
    if (wanted > now) {
      LOG.info("scaling worker instances up: {} -> {}", now, wanted);
      return deploy(wanted - now).map(v -> size());
    }
    if (wanted < now) {
      LOG.info("scaling worker instances down: {} -> {} (running tasks finish first)", now, wanted);
      return undeploy(now - wanted).map(v -> size());
    }
    return Future.succeededFuture(now);
  }

  private Future<Void> deploy(int count) {
    List<Future<String>> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      WorkerVerticle instance = factory.get();
      started.add(vertx.deployVerticle(instance).onSuccess(id -> added(id, instance)));
    }
    return Future.all(started).mapEmpty();
  }

  private synchronized void added(String deploymentId, WorkerVerticle instance) {
    deployments.addLast(deploymentId);
    instances.put(deploymentId, instance);
  }

  private synchronized void removed(String deploymentId) {
    instances.remove(deploymentId);
  }

  private Future<Void> undeploy(int count) {
    List<Future<Void>> stopped = new ArrayList<>();
    synchronized (this) {
      for (int i = 0; i < count && !deployments.isEmpty(); i++) {
        String id = deployments.pollLast();
        stopped.add(vertx.undeploy(id).onComplete(ar -> removed(id)));
      }
    }
    return Future.join(stopped).mapEmpty();
  }
}
