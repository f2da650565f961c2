package dev.llmworker.monitor;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.sqs.QueueUrls;
import dev.llmworker.sqs.SqsClients;
import dev.llmworker.task.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves the dashboard, {@code /api/stats}, {@code /api/events} (SSE), {@code /health} and {@code /ready}. */
public final class MonitorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorVerticle.class);

  private final LlmwConfig.Monitor config;
  private final QueueUrls queues;
  private final SqsClients sqs;
  private final NodeStats local;
  private final BooleanSupplier deployed;
  private final ClusterStats cluster = new ClusterStats();
  private QueueDepths depths;
  private HttpServer server;

  public MonitorVerticle(LlmwConfig.Monitor config, QueueUrls queues, SqsClients sqs, NodeStats local,
      BooleanSupplier deployed) {
    this.config = config;
    this.queues = queues;
    this.sqs = sqs;
    this.local = local;
    this.deployed = deployed;
  }

  @Override
  public Future<?> start() {
    depths = new QueueDepths(sqs.operations(), queues, context);
    vertx.setPeriodic(0, 2000, id -> depths.refresh());
    var consumer = vertx.eventBus().<JsonObject>consumer(Addresses.STATS, m -> cluster.accept(m.body()));
    server = vertx.createHttpServer().requestHandler(router());
    return Future.join(consumer.completion(), server.listen(config.port(), config.host()))
        .onSuccess(v -> LOG.info("monitor listening on http://{}:{}/", config.host(), server.actualPort()));
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.actualPort();
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.get("/api/stats").handler(ctx -> json(ctx, 200, stats()));
    router.get("/api/events").handler(new StatsEvents(vertx, this::stats));
    router.get("/health").handler(HealthCheckHandler.create(vertx)
        .register("event-loop", promise -> promise.complete(Status.OK())));
    router.get("/ready").handler(HealthCheckHandler.create(vertx)
        .register("sqs", 3000, promise -> depths.refresh()
            .onSuccess(v -> promise.complete(Status.OK()))
            .onFailure(e -> promise.complete(Status.KO(new JsonObject().put("error", String.valueOf(e.getMessage()))))))
        .register("verticles", promise -> promise.complete(deployed.getAsBoolean() ? Status.OK() : Status.KO())));
    router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    return router;
  }

  private JsonObject stats() {
    cluster.accept(local.snapshot());
    return cluster.toJson(depths.latest());
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }
}
