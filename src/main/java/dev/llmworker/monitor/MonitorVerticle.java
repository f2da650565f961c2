package dev.llmworker.monitor;

import dev.llmworker.api.BatchesApi;
import dev.llmworker.api.BatchesView;
import dev.llmworker.api.FilesApi;
import dev.llmworker.batch.BatchService;
import dev.llmworker.app.LlmwConfig;
import dev.llmworker.store.ObjectStore;
import dev.llmworker.sqs.DeadLetterQueue;
import dev.llmworker.sqs.QueueUrls;
import dev.llmworker.sqs.SqsClients;
import dev.llmworker.task.Addresses;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the dashboard and its API ({@code /api/stats}, {@code /api/events} SSE, {@code /api/history}, failures,
 * the DLQ browser and the controls), {@code /metrics}, {@code /health} and {@code /ready}. With a token, all of
 * {@code /api/} needs it; {@code /metrics}, {@code /health}, {@code /ready} and the page itself never do (they show
 * no task content).
 */
public final class MonitorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorVerticle.class);

  /** What the monitor serves from: the node's config, queues, SQS clients, counters and metrics registry. */
  /** {@code store}: the Batch API's, null when the API is off. */
  public record Wiring(LlmwConfig config, QueueUrls queues, SqsClients sqs, NodeStats local,
      BooleanSupplier deployed, PrometheusMeterRegistry registry, boolean localWorkers, ObjectStore store,
      BatchService batches) {}

  private final Wiring w;
  private final ClusterStats cluster = new ClusterStats();
  private final History history = new History();
  private final RedriveTracker redrives = new RedriveTracker();
  private BearerToken auth;
  private BindPolicy bindPolicy;
  private StatsEvents events;
  private QueueDepths depths;
  private HttpServer server;

  public MonitorVerticle(Wiring wiring) {
    this.w = wiring;
  }

  @Override
  public Future<?> start() {
    auth = new BearerToken(w.config().monitor().token());
    bindPolicy = BindPolicy.of(w.config().monitor());
    events = new StatsEvents(vertx, this::stats, w.config().monitor().maxEventStreams(), 1000);
    depths = new QueueDepths(w.sqs().operations(), w.queues(), context);
    depths.bind(w.registry());
    vertx.setPeriodic(0, 2000, id -> depths.refresh());
    vertx.setPeriodic(1000, id -> history.add(stats()));
    var consumer = vertx.eventBus().<JsonObject>consumer(Addresses.STATS, m -> cluster.accept(m.body()));
    server = vertx.createHttpServer().requestHandler(router());
    LlmwConfig.Monitor monitor = w.config().monitor();
    return Future.join(consumer.completion(), server.listen(monitor.port(), monitor.host()))
        .onSuccess(v -> LOG.info("monitor listening on http://{}:{}/ ({})", monitor.host(), server.actualPort(),
            auth.enabled() ? "API and controls need the token" : "open API, controls disabled: no monitor.token"));
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.actualPort();
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(bindPolicy);
    router.get("/api/access").handler(ctx -> HttpJson.send(ctx, 200, new JsonObject()
        .put("token_required", auth.enabled())));
    router.route("/api/*").handler(auth.reads());
    router.get("/api/access/check").handler(ctx -> HttpJson.send(ctx, 200, new JsonObject().put("ok", true)));
    DeadLetterQueue dlq = new DeadLetterQueue(w.sqs().operations(), w.queues(), context);
    new ReadApi(this::stats, history::points, cluster::failures, dlq, depths::latest).mount(router);
    router.get("/api/events").handler(events);
    new ControlApi(new ControlApi.Deps(vertx, w.local().nodeId(), w.localWorkers(),
        w.config().providers().stream().map(LlmwConfig.Provider::name).toList(), dlq, redrives, this::stats,
        (w.config().shutdown().graceSeconds() + 10) * 1000L)).mount(router, auth);
    if (w.store() == null) {
      FilesApi.mountDisabled(router);
    } else {
      String tmp = System.getProperty("java.io.tmpdir") + "/llmw-uploads";
      new FilesApi(vertx, w.store(), w.config().api().maxUploadBytes(), tmp).mount(router, w.config().api().tokens());
      new BatchesApi(w.batches()).mount(router);
      new BatchesView(vertx, w.batches(), tmp).mount(router);
    }
    router.get("/metrics").handler(PrometheusScrapingHandler.create(w.registry()));
    router.get("/health").handler(HealthCheckHandler.create(vertx)
        .register("event-loop", promise -> promise.complete(Status.OK())));
    router.get("/ready").handler(HealthCheckHandler.create(vertx)
        .register("sqs", 3000, promise -> depths.refresh()
            .onSuccess(v -> promise.complete(Status.OK()))
            .onFailure(e -> promise.complete(Status.KO(new JsonObject().put("error", String.valueOf(e.getMessage()))))))
        .register("verticles", promise -> promise.complete(w.deployed().getAsBoolean() ? Status.OK() : Status.KO())));
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    return router;
  }

  private JsonObject stats() {
    cluster.accept(w.local().snapshot());
    return history.decorate(cluster.toJson(depths.latest()).put("controls", auth.enabled())
        .put("redrive", redrives.toJson()));
  }
}
