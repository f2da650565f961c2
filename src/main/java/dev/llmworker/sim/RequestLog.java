package dev.llmworker.sim;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * The last {@link #CAPACITY} requests, whatever their endpoint. Written by the simulator's event loop and read by
 * tests on their own threads, hence synchronized; bounded so a long bench run cannot grow it without limit.
 */
final class RequestLog {
  static final int CAPACITY = 1000;

  private final ArrayDeque<RecordedRequest> ring = new ArrayDeque<>(CAPACITY);

  /** Copies what the request carried; call it once the body has been read. */
  void record(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String body = ctx.body().asString();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
    add(new RecordedRequest(request.method().name(), request.path(), Map.copyOf(ctx.pathParams()),
        request.query() == null ? "" : request.query(), headers, body == null ? "" : body,
        System.currentTimeMillis()));
  }

  synchronized void add(RecordedRequest recorded) {
    if (ring.size() == CAPACITY) {
      ring.removeFirst();
    }
    ring.addLast(recorded);
  }

  /** Oldest first. */
  synchronized List<RecordedRequest> snapshot() {
    return List.copyOf(ring);
  }

  synchronized void clear() {
    ring.clear();
  }
}
