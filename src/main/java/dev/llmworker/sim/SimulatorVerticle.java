package dev.llmworker.sim;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * An LLM endpoint that answers from timers, for tests, the demo and the bench. Speaks OpenAI, Azure OpenAI,
 * Anthropic Messages and Bedrock Converse over one shared rate limit. Configured by
 * {@link SimulatorOptions#toJson()} as deployment config. Use it through {@link LlmSimulator}.
 */
public final class SimulatorVerticle extends VerticleBase {
  static final long MAX_BODY_BYTES = 4L * 1024 * 1024;
  static final String MODEL_ID = ChatRequest.DEFAULT_MODEL;

  private final SimulatorStats stats = new SimulatorStats();
  private final RequestLog requests = new RequestLog();
  private ChatCompletionHandler chat;
  private HttpServer server;

  @Override
  public Future<?> start() {
    SimulatorOptions options;
    try {
      options = SimulatorOptions.fromJson(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalArgumentException("LLM simulator: " + e.getMessage(), e));
    }
    chat = new ChatCompletionHandler(vertx, options, stats, requests);
    server = vertx.createHttpServer(new HttpServerOptions()
            .setHost(options.host())
            .setPort(options.port())
            .setTcpNoDelay(true))
        .requestHandler(router(options.apiKey()));
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  /** The port really listened on (useful with port 0). */
  public int port() {
    return server.actualPort();
  }

  public SimulatorStats stats() {
    return stats;
  }

  RequestLog requests() {
    return requests;
  }

  /** Takes effect for the requests that arrive from now on; callable from any thread. */
  void setFaults(FaultRates faults) {
    chat.setFaults(faults);
  }

  private Router router(String apiKey) {
    Router router = Router.router(vertx);
    chatRoute(router, "/v1/chat/completions", new OpenAiDialect(apiKey));
    chatRoute(router, "/openai/deployments/:" + AzureDialect.DEPLOYMENT + "/chat/completions",
        new AzureDialect(apiKey));
    chatRoute(router, "/v1/messages", new AnthropicDialect(apiKey));
    chatRoute(router, "/model/:" + BedrockDialect.MODEL_ID + "/converse", new BedrockDialect());
    router.get("/v1/models").handler(this::models);
    router.get("/stats").handler(ctx -> ctx.json(stats.toJson()));
    router.post("/stats/reset").handler(this::reset);
    router.errorHandler(404, ctx -> error(ctx, "Unknown request URL: " + describe(ctx) + "."));
    router.errorHandler(405, ctx -> error(ctx, "Method not allowed: " + describe(ctx) + "."));
    router.errorHandler(413, ctx -> error(ctx, "Request body larger than " + MAX_BODY_BYTES + " bytes."));
    router.errorHandler(500, ctx -> error(ctx, "The simulator failed: " + ctx.failure()));
    return router;
  }

  private void chatRoute(Router router, String path, Dialect dialect) {
    router.post(path)
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(chat.serving(dialect));
  }

  private void models(RoutingContext ctx) {
    ctx.json(new JsonObject()
        .put("object", "list")
        .put("data", new JsonArray().add(new JsonObject().put("id", MODEL_ID).put("object", "model"))));
  }

  private void reset(RoutingContext ctx) {
    stats.reset();
    ctx.response().setStatusCode(204).end();
  }

  private static void error(RoutingContext ctx, String message) {
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    String type = status >= 500 ? OpenAiError.SERVER_ERROR : OpenAiError.INVALID_REQUEST;
    String code = status == 404 ? "unknown_url" : null;
    OpenAiError.send(ctx.response(), status, message, type, code);
  }

  private static String describe(RoutingContext ctx) {
    return ctx.request().method() + " " + ctx.request().path();
  }
}
