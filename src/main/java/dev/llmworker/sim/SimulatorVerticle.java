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
import java.util.List;

/**
 * An LLM endpoint that answers from timers, for tests, the demo and the bench. Speaks OpenAI (chat, Responses,
 * embeddings, legacy completions, moderations), Azure OpenAI (all of those but moderations), Anthropic Messages and
 * Bedrock (Converse; InvokeModel for Titan and Cohere embeddings) over one shared rate limit. Configured by
 * {@link SimulatorOptions#toJson()} as deployment config. Use it through {@link LlmSimulator}.
 */
public final class SimulatorVerticle extends VerticleBase {
  static final long MAX_BODY_BYTES = 4L * 1024 * 1024;
  static final String MODEL_ID = ChatRequest.DEFAULT_MODEL;
  /** What {@code GET /v1/models} lists; any other name works too. */
  static final List<String> MODELS = List.of(MODEL_ID, "text-embedding-3-small", "text-embedding-3-large",
      Moderations.DEFAULT_MODEL);
  private static final String AZURE_DEPLOYMENT = "/openai/deployments/:" + AzureDialect.DEPLOYMENT;
  private static final String BEDROCK_MODEL = "/model/:" + BedrockDialect.MODEL_ID;

  private final SimulatorStats stats = new SimulatorStats();
  private final RequestLog requests = new RequestLog();
  private SimulatedCallHandler calls;
  private HttpServer server;

  @Override
  public Future<?> start() {
    SimulatorOptions options;
    try {
      options = SimulatorOptions.fromJson(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalArgumentException("LLM simulator: " + e.getMessage(), e));
    }
    calls = new SimulatedCallHandler(vertx, options, stats, requests);
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
    calls.setFaults(faults);
  }

  private Router router(String apiKey) {
    Router router = Router.router(vertx);
    OpenAiDialect openAi = new OpenAiDialect(apiKey);
    route(router, "/v1/chat/completions", openAi, new ChatCompletions());
    route(router, "/v1/responses", openAi, new Responses());
    route(router, "/v1/embeddings", openAi, new OpenAiEmbeddings());
    route(router, "/v1/completions", openAi, new TextCompletions());
    route(router, "/v1/moderations", openAi, new Moderations());
    AzureDialect azure = AzureDialect.deployments(apiKey);
    route(router, AZURE_DEPLOYMENT + "/chat/completions", azure, new ChatCompletions());
    route(router, AZURE_DEPLOYMENT + "/completions", azure, new TextCompletions());
    route(router, AZURE_DEPLOYMENT + "/embeddings", azure, new OpenAiEmbeddings());
    route(router, "/openai/v1/responses", AzureDialect.v1(apiKey), new Responses());
    route(router, "/v1/messages", new AnthropicDialect(apiKey), new AnthropicMessages());
    BedrockDialect bedrock = new BedrockDialect();
    route(router, BEDROCK_MODEL + "/converse", bedrock, new BedrockConverse());
    route(router, BEDROCK_MODEL + "/invoke", bedrock, new BedrockInvoke());
    router.get("/v1/models").handler(this::models);
    router.get("/stats").handler(ctx -> ctx.json(stats.toJson()));
    router.post("/stats/reset").handler(this::reset);
    router.errorHandler(404, ctx -> error(ctx, "Unknown request URL: " + describe(ctx) + "."));
    router.errorHandler(405, ctx -> error(ctx, "Method not allowed: " + describe(ctx) + "."));
    router.errorHandler(413, ctx -> error(ctx, "Request body larger than " + MAX_BODY_BYTES + " bytes."));
    router.errorHandler(500, ctx -> error(ctx, "The simulator failed: " + ctx.failure()));
    return router;
  }

  private <R extends SimRequest> void route(Router router, String path, Dialect dialect, Operation<R> operation) {
    router.post(path)
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(calls.serving(dialect, operation));
  }

  private void models(RoutingContext ctx) {
    JsonArray data = new JsonArray();
    MODELS.forEach(id -> data.add(new JsonObject().put("id", id).put("object", "model")));
    ctx.json(new JsonObject().put("object", "list").put("data", data));
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
