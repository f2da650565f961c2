package dev.llmworker.monitor;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * {@code GET /api/events}: server-sent events carrying a stats snapshot every {@code periodMs}. At most
 * {@code maxStreams} at once (more get 503); a reader that does not keep up is disconnected instead of having
 * snapshots pile up in memory for it (its browser reconnects and starts from the newest one).
 */
final class StatsEvents implements Handler<RoutingContext> {
  /** What may wait unsent for one reader before it counts as stuck: a few snapshots. */
  static final int MAX_QUEUED_BYTES = 256 * 1024;

  private final Vertx vertx;
  private final Supplier<JsonObject> stats;
  private final int maxStreams;
  private final long periodMs;
  /** Changed on the monitor's event loop only; volatile for readers elsewhere (tests). */
  private volatile int open;
  private volatile long dropped;

  StatsEvents(Vertx vertx, Supplier<JsonObject> stats, int maxStreams, long periodMs) {
    this.vertx = vertx;
    this.stats = stats;
    this.maxStreams = maxStreams;
    this.periodMs = periodMs;
  }

  /** Streams being served now. */
  int open() {
    return open;
  }

  /** Readers disconnected for not keeping up, since start. */
  long dropped() {
    return dropped;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (open >= maxStreams) {
      ctx.response().putHeader("Retry-After", "5");
      HttpJson.error(ctx, 503, "too many live connections (" + open + "; monitor.maxEventStreams is " + maxStreams
          + ")");
      return;
    }
    open++;
    HttpServerResponse response = ctx.response()
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-store")
        .setChunked(true)
        .setWriteQueueMaxSize(MAX_QUEUED_BYTES);
    Stream stream = new Stream(ctx, response);
    stream.timer = vertx.setPeriodic(periodMs, id -> stream.send());
    response.closeHandler(v -> stream.end());
    response.exceptionHandler(e -> stream.end());
    stream.send();
  }

  /** One reader's stream: ends once, whether the reader left or was dropped. */
  private final class Stream {
    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private long timer = -1;
    private boolean ended;

    Stream(RoutingContext ctx, HttpServerResponse response) {
      this.ctx = ctx;
      this.response = response;
    }

    void send() {
      if (ended || response.closed()) {
        return;
      }
      if (response.writeQueueFull()) {
        dropped++;
        end();
        ctx.request().connection().close(); // at once: what is still queued for this reader is thrown away
        return;
      }
      response.write("event: stats\ndata: " + stats.get().encode() + "\n\n");
    }

    void end() {
      if (!ended) {
        ended = true;
        open--;
        vertx.cancelTimer(timer);
      }
    }
  }
}
