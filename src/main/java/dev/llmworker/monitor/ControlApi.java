package dev.llmworker.monitor;

import dev.llmworker.sqs.DeadLetterQueue;
import dev.llmworker.task.Addresses;
import dev.llmworker.worker.WorkerPool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's control actions, all behind {@link BearerToken}: pause and resume polling, scale a node's worker
 * instances, redrive the dead-letter queue, change a rate budget. Each acts cluster-wide over the event bus.
 */
final class ControlApi {
  private static final Logger LOG = LoggerFactory.getLogger(ControlApi.class);
  private static final long MAX_BODY = 64 * 1024;

  /** What the controls need from the monitor. */
  record Deps(Vertx vertx, String localNode, boolean localWorkers, List<String> providers,
      DeadLetterQueue dlq, RedriveTracker redrives, Supplier<JsonObject> stats, long scaleTimeoutMs) {}

  private final Deps deps;

  ControlApi(Deps deps) {
    this.deps = deps;
  }

  void mount(Router router, BearerToken auth) {
    router.post("/api/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY)).handler(auth);
    router.post("/api/pause").handler(ctx -> polling(ctx, true));
    router.post("/api/resume").handler(ctx -> polling(ctx, false));
    router.post("/api/workers").handler(this::scale);
    router.post("/api/dlq/redrive").handler(this::redrive);
    router.post("/api/budgets").handler(this::budget);
  }

  private void polling(RoutingContext ctx, boolean paused) {
    LOG.info("dashboard: {} polling", paused ? "pausing" : "resuming");
    deps.vertx().eventBus().publish(Addresses.CONTROL_POLLING, new JsonObject().put("paused", paused));
    HttpJson.send(ctx, 200, new JsonObject().put("paused", paused));
  }

  private void scale(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    Integer instances = integer(body, "instances");
    if (instances == null || instances < 0 || instances > WorkerPool.MAX_INSTANCES) {
      HttpJson.error(ctx, 400, "'instances' must be a whole number from 0 to " + WorkerPool.MAX_INSTANCES);
      return;
    }
    String node = body.getValue("node") instanceof String s ? s : null;
    if (node == null && !deps.localWorkers()) {
      HttpJson.error(ctx, 400, "'node' is required: this node runs no workers (ids are in /api/stats nodes[].id)");
      return;
    }
    String target = node == null ? deps.localNode() : node;
    LOG.info("dashboard: scaling node {} to {} worker instances", target, instances);
    deps.vertx().eventBus().<JsonObject>request(Addresses.controlWorkers(target),
            new JsonObject().put("instances", instances), new DeliveryOptions().setSendTimeout(deps.scaleTimeoutMs()))
        .onSuccess(reply -> HttpJson.send(ctx, 200, reply.body()))
        .onFailure(e -> scaleFailed(ctx, target, e));
  }

  private static void scaleFailed(RoutingContext ctx, String node, Throwable e) {
    if (e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
      HttpJson.error(ctx, 404, "no worker node with id '" + node + "'");
    } else if (e instanceof ReplyException r && r.failureCode() == 400) {
      HttpJson.error(ctx, 400, r.getMessage());
    } else {
      HttpJson.error(ctx, 504, "node " + node + " did not confirm the change: " + e.getMessage());
    }
  }

  private void redrive(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    boolean all = Boolean.TRUE.equals(body.getValue("all"));
    Set<String> ids = strings(body, "message_ids");
    ids.addAll(strings(body, "custom_ids"));
    if (!all && ids.isEmpty()) {
      HttpJson.error(ctx, 400, "give {\"all\":true}, or non-empty 'message_ids' or 'custom_ids' arrays of strings");
      return;
    }
    RedriveTracker redrives = deps.redrives();
    if (redrives.running()) {
      HttpJson.send(ctx, 409, redrives.toJson().put("error", "a redrive is under way; its progress is in /api/stats"));
      return;
    }
    // answered at once: a redrive of many messages takes a while; progress and outcome go to /api/stats
    JsonObject started = redrives.start(all ? "all" : ids.size() + " id(s)");
    (all ? deps.dlq().redriveAll(redrives::moved) : deps.dlq().redrive(ids, redrives::moved))
        .onSuccess(r -> LOG.info("dashboard: {} dead-lettered task(s) moved back to the tasks queue", r.moved()))
        .onSuccess(redrives::finished)
        .onFailure(redrives::failed);
    HttpJson.send(ctx, 202, started);
  }

  private void budget(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    String provider = body.getValue("provider") instanceof String s ? s : null;
    if (provider == null || !deps.providers().contains(provider)) {
      HttpJson.error(ctx, 400, "'provider' must be one of " + deps.providers());
      return;
    }
    Object modelValue = body.getValue("model");
    if (modelValue != null && !(modelValue instanceof String)) {
      HttpJson.error(ctx, 400, "'model' must be a string or absent (absent = the provider's own budget)");
      return;
    }
    String model = (String) modelValue;
    Long rpm = limit(ctx, body, "rpm", provider, model);
    Long tpm = rpm == null ? null : limit(ctx, body, "tpm", provider, model);
    if (rpm == null || tpm == null) {
      return;
    }
    JsonObject change = new JsonObject().put("provider", provider).put("model", model).put("rpm", rpm)
        .put("tpm", tpm);
    LOG.info("dashboard: budget of {}{} set to {} rpm / {} tpm", provider, model == null ? "" : "/" + model, rpm,
        tpm);
    deps.vertx().eventBus().publish(Addresses.CONTROL_BUDGETS, change);
    HttpJson.send(ctx, 200, change);
  }

  /** A budget field: given (whole number >= 0), or the current configured value; null after answering 400. */
  private Long limit(RoutingContext ctx, JsonObject body, String field, String provider, String model) {
    if (!body.containsKey(field)) {
      return current(provider, model, field + "_configured");
    }
    Integer value = integer(body, field);
    if (value == null || value < 0) {
      HttpJson.error(ctx, 400, "'" + field + "' must be a whole number >= 0 (0 = unlimited)");
      return null;
    }
    return value.longValue();
  }

  private long current(String provider, String model, String field) {
    String key = model == null ? provider : provider + "/" + model;
    return deps.stats().get().getJsonArray("budgets", new JsonArray()).stream().map(JsonObject.class::cast)
        .filter(b -> key.equals(b.getString("key"))).mapToLong(b -> b.getLong(field, 0L)).findFirst().orElse(0L);
  }

  /** The request's JSON object, or null after answering 400. */
  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        HttpJson.error(ctx, 400, "the request body must be a JSON object");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      HttpJson.error(ctx, 400, "the request body must be a JSON object");
      return null;
    }
  }

  private static Integer integer(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v instanceof Integer || v instanceof Long) {
      long n = ((Number) v).longValue();
      return n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE ? (int) n : null;
    }
    return null;
  }

  private static Set<String> strings(JsonObject body, String field) {
    Set<String> out = new LinkedHashSet<>();
    if (body.getValue(field) instanceof JsonArray array) {
      array.forEach(v -> {
        if (v instanceof String s && !s.isEmpty()) {
          out.add(s);
        }
      });
    }
    return out;
  }
}
