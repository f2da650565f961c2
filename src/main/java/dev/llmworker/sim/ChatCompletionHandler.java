package dev.llmworker.sim;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * {@code POST /v1/chat/completions}: validate, rate-limit, pick an outcome, then answer after a timer. Nothing
 * blocks, and a client that leaves early just cancels its timer.
 */
final class ChatCompletionHandler implements Handler<RoutingContext> {
  static final String CLIENT_REQUEST_ID = "X-Client-Request-Id";
  static final String REQUEST_ID = "x-request-id";

  /** What to answer and when; status 200 is a normal completion. */
  private record Outcome(long delayMs, int status, String why) {}

  private final Vertx vertx;
  private final SimulatorOptions options;
  private final SimulatorStats stats;
  private final RateLimits limits;
  private final Dice dice;
  private final long startNanos = System.nanoTime();
  private long sequence;

  ChatCompletionHandler(Vertx vertx, SimulatorOptions options, SimulatorStats stats) {
    this.vertx = vertx;
    this.options = options;
    this.stats = stats;
    this.limits = new RateLimits(options.rpm(), options.tpm());
    this.dice = new Dice(options);
  }

  @Override
  public void handle(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    String id = clientId(ctx.request().getHeader(CLIENT_REQUEST_ID), body);
    int attempt = stats.received(id);
    ctx.addEndHandler(ended -> stats.finished());
    ChatRequest request;
    try {
      request = ChatRequest.parse(body);
    } catch (IllegalArgumentException e) {
      stats.answered(400);
      OpenAiError.send(ctx.response(), 400, e.getMessage(), OpenAiError.INVALID_REQUEST, null);
      return;
    }
    long now = nowMs();
    RateLimits.Rejection rejection = limits.admit(now, request.budgetTokens());
    limits.putHeaders(now, ctx.response().headers());
    if (rejection != null) {
      stats.answered(429);
      sendRetryAfter(ctx.response(), rejection.retryMs());
      OpenAiError.send(ctx.response(), 429, rejection.message(), rejection.type(), OpenAiError.RATE_LIMIT_CODE);
      return;
    }
    Outcome outcome = decide(request.directives(), attempt, dice.roll());
    later(ctx, outcome.delayMs(), response -> {
      if (outcome.status() == 200) {
        complete(response, id, request);
      } else if (outcome.status() == Dice.TRUNCATED) {
        truncated(response);
      } else {
        fail(response, outcome, request.directives());
      }
    });
  }

  /** Directives win over chance, so tests get exactly what they ask for. */
  private Outcome decide(Directives directives, int attempt, Dice.Roll roll) {
    long latency = directives.latencyMs() >= 0 ? directives.latencyMs() : roll.latencyMs();
    if (directives.status() > 0) {
      return new Outcome(latency, directives.status(), "status=" + directives.status());
    }
    if (attempt <= directives.failFirst()) {
      return new Outcome(latency, directives.failStatus(), "fail_first=" + directives.failFirst() + ", attempt "
          + attempt);
    }
    if (roll.failure() == 504) {
      return new Outcome(options.hangMs(), 504, "error rate, hung " + options.hangMs() + " ms");
    }
    if (roll.failure() == 429) {
      return new Outcome(Math.min(latency, 50), 429, "rate 429");
    }
    if (roll.failure() == Dice.TRUNCATED) {
      return new Outcome(latency, Dice.TRUNCATED, "rate truncated");
    }
    if (roll.failure() > 0) {
      return new Outcome(latency, roll.failure(), "error rate");
    }
    return new Outcome(latency, 200, "");
  }

  private void complete(HttpServerResponse response, String id, ChatRequest request) {
    long n = ++sequence;
    JsonObject usage = new JsonObject()
        .put("prompt_tokens", request.promptTokens())
        .put("completion_tokens", request.completionTokens())
        .put("total_tokens", request.promptTokens() + request.completionTokens());
    JsonObject choice = new JsonObject()
        .put("index", 0)
        .put("message", new JsonObject().put("role", "assistant").put("content", request.answer()))
        .put("finish_reason", "stop");
    JsonObject body = new JsonObject()
        .put("id", "chatcmpl-" + n)
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", request.model())
        .put("choices", new JsonArray().add(choice))
        .put("usage", usage);
    stats.succeeded(id, request.promptTokens(), request.completionTokens());
    response.putHeader(REQUEST_ID, "req_" + n)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.toBuffer());
  }

  /** A 200 that promises JSON and breaks off in the middle of it, as a dropped proxy connection might. */
  private void truncated(HttpServerResponse response) {
    stats.truncated();
    String whole = new JsonObject().put("id", "chatcmpl-cut").put("object", "chat.completion")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message",
            new JsonObject().put("role", "assistant").put("content", "this answer is cut off")))).encode();
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(whole.substring(0, whole.length() / 2));
  }

  private void fail(HttpServerResponse response, Outcome outcome, Directives directives) {
    stats.answered(outcome.status());
    if (outcome.status() == 429) {
      sendRetryAfter(response, directives.retryAfterS() * 1000L);
    }
    OpenAiError.sendSimulated(response, outcome.status(), outcome.why());
  }

  /** Runs {@code send} after {@code delayMs} on this event loop, unless the client has gone by then. */
  private void later(RoutingContext ctx, long delayMs, Consumer<HttpServerResponse> send) {
    if (delayMs <= 0) {
      send.accept(ctx.response());
      return;
    }
    long timer = vertx.setTimer(delayMs, t -> send.accept(ctx.response()));
    ctx.addEndHandler(ended -> vertx.cancelTimer(timer));
  }

  private static void sendRetryAfter(HttpServerResponse response, long retryMs) {
    long ms = Math.max(1, retryMs);
    response.putHeader("Retry-After", String.valueOf(Math.max(1, (ms + 999) / 1000)))
        .putHeader("retry-after-ms", String.valueOf(ms));
  }

  /** The client's id for the task, or a 64-bit FNV-1a hash of the body so retries of one body still match. */
  static String clientId(String header, Buffer body) {
    if (header != null && !header.isBlank()) {
      return header;
    }
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; body != null && i < body.length(); i++) {
      hash = (hash ^ (body.getByte(i) & 0xff)) * 0x100000001b3L;
    }
    return "body-" + Long.toHexString(hash);
  }

  private long nowMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
