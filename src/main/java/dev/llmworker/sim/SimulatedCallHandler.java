package dev.llmworker.sim;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * The dialect- and endpoint-neutral core of every route: record, check, parse, rate-limit, pick an outcome, then
 * answer after a timer. One instance serves all dialects and endpoints, so they share one rate limit, one set of
 * stats and one seeded dice; the {@link Dialect} says how the provider talks (credentials, errors, headers), the
 * {@link Operation} what the endpoint's bodies look like. Nothing blocks, and a client that leaves early just
 * cancels its timer. Runs on one event loop.
 */
final class SimulatedCallHandler {
  static final String CLIENT_REQUEST_ID = "X-Client-Request-Id";

  private final Vertx vertx;
  private final SimulatorOptions options;
  private final SimulatorStats stats;
  private final RateLimits limits;
  private final Dice dice;
  private final RequestLog log;
  private final long startNanos = System.nanoTime();
  private long sequence;

  SimulatedCallHandler(Vertx vertx, SimulatorOptions options, SimulatorStats stats, RequestLog log) {
    this.vertx = vertx;
    this.options = options;
    this.stats = stats;
    this.log = log;
    this.limits = new RateLimits(options.rpm(), options.tpm(), options.windowSeconds());
    this.dice = new Dice(options);
  }

  /** The route handler for one endpoint in one provider's wire format. */
  <R extends SimRequest> Handler<RoutingContext> serving(Dialect dialect, Operation<R> operation) {
    return ctx -> handle(ctx, dialect, operation);
  }

  void setFaults(FaultRates faults) {
    dice.setFaults(faults);
  }

  private <R extends SimRequest> void handle(RoutingContext ctx, Dialect dialect, Operation<R> operation) {
    log.record(ctx);
    Buffer body = ctx.body().buffer();
    String id = clientId(ctx.request().getHeader(CLIENT_REQUEST_ID), body);
    int attempt = stats.received(id, operation.endpoint());
    ctx.addEndHandler(ended -> stats.finished());
    Dialect.Refusal refusal = dialect.check(ctx);
    if (refusal != null) {
      error(ctx.response(), dialect, refusal.status(), refusal.kind(), refusal.message(), 0);
      return;
    }
    R request;
    try {
      request = operation.parse(body, dialect.routeModel(ctx));
    } catch (IllegalArgumentException e) {
      error(ctx.response(), dialect, 400, Dialect.Kind.INVALID_REQUEST, e.getMessage(), 0);
      return;
    }
    long now = nowMs();
    RateLimits.Rejection rejection = limits.admit(now, request.budgetTokens());
    if (options.rateHeaders()) {
      dialect.putRateHeaders(limits, now, ctx.response().headers());
    }
    if (rejection != null) {
      Dialect.Kind kind = "tokens".equals(rejection.type()) ? Dialect.Kind.TOKENS_LIMIT : Dialect.Kind.REQUESTS_LIMIT;
      error(ctx.response(), dialect, 429, kind, rejection.message(), rejection.retryMs());
      return;
    }
    Outcome outcome = Outcome.decide(request.directives(), attempt, dice.roll(), options.hangMs());
    later(ctx, outcome.delayMs(), response -> {
      if (outcome.status() == 200) {
        complete(response, dialect, operation, id, request, outcome.delayMs());
      } else if (outcome.status() == Dice.TRUNCATED) {
        truncated(response, operation, request, outcome.delayMs());
      } else {
        long retryMs = outcome.status() == 429 ? request.directives().retryAfterS() * 1000L : 0;
        error(response, dialect, outcome.status(), Dialect.Kind.SIMULATED, outcome.message(), retryMs);
      }
    });
  }

  private <R extends SimRequest> void complete(HttpServerResponse response, Dialect dialect,
      Operation<R> operation, String id, R request, long latency) {
    String tag = String.valueOf(++sequence);
    stats.succeeded(id, operation.endpoint(), request.promptTokens(), request.completionTokens());
    dialect.putSuccessHeaders(response.headers(), tag);
    operation.putSuccessHeaders(request, latency, response.headers());
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(operation.answer(request, tag, latency).toBuffer());
  }

  /** A 200 that promises JSON and breaks off in the middle of it, as a dropped proxy connection might. */
  private <R extends SimRequest> void truncated(HttpServerResponse response, Operation<R> operation, R request,
      long latency) {
    stats.truncated();
    String whole = operation.answer(request, "cut", latency).encode(); // e.g. "chatcmpl-cut"
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(whole.substring(0, whole.length() / 2));
  }

  /** Counts and sends an error, with the status the dialect really uses for it. */
  private void error(HttpServerResponse response, Dialect dialect, int status, Dialect.Kind kind, String message,
      long retryMs) {
    int wire = dialect.wireStatus(status);
    stats.answered(wire);
    dialect.sendError(response, wire, kind, message, retryMs);
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
