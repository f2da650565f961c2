package dev.llmworker.batch;

import dev.llmworker.task.BatchTag;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Which batches' lines must not start any more, as a poller sees it: a batch past its {@code expires_at} (carried
 * by each line, {@link BatchTag}), and the batches that were cancelled. Cancellations live in a cluster-wide map
 * (the Batch API's nodes keep it filled from the store) read every {@value #REFRESH_MS} ms, and are also published
 * on the event bus so that pollers stop a cancelled batch's lines at once.
 */
public final class BatchStops {
  public static final String CANCELLED = "batch_cancelled";
  public static final String EXPIRED = "batch_expired";
  static final String MAP = "llmw.batches.stopped";
  static final String ADDRESS = "llmw.batch.stopped";
  private static final long REFRESH_MS = 2_000;

  private final Vertx vertx;
  private final Map<String, String> announced = new HashMap<>();
  private Map<String, String> stopped = Map.of();
  private MessageConsumer<JsonObject> consumer;
  private long timer = -1;

  public BatchStops(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(ADDRESS, m -> announced.put(m.body().getString("id"),
        m.body().getString("code")));
    timer = vertx.setPeriodic(REFRESH_MS, id -> refresh());
    return consumer.completion().compose(v -> refresh());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (consumer != null) {
      consumer.unregister();
    }
  }

  /** Why a line with these attributes must not run ({@link #CANCELLED}, {@link #EXPIRED}), or null. */
  public String stopCode(Map<String, MessageAttributeValue> attributes) {
    String batch = BatchTag.batchOf(attributes);
    if (batch == null) {
      return null;
    }
    String code = stopped.get(batch);
    if (code == null) {
      code = announced.get(batch);
    }
    if (code != null) {
      return code;
    }
    return System.currentTimeMillis() / 1000 >= BatchTag.expiresOf(attributes) ? EXPIRED : null;
  }

  /** A reason a person can read, for the error line of a line that was not run. */
  public static String reason(String code) {
    return CANCELLED.equals(code) ? "not run: the batch was cancelled before this request started"
        : "not run: the batch expired (its completion window ended) before this request started";
  }

  private Future<Void> refresh() {
    return vertx.sharedData().<String, String>getAsyncMap(MAP)
        .compose(map -> map.entries())
        .onSuccess(entries -> {
          stopped = Map.copyOf(entries);
          announced.keySet().retainAll(entries.keySet()); // an announcement is in the map before it is published
        })
        .recover(e -> Future.succeededFuture(null))
        .mapEmpty();
  }

  /** Marks a batch as stopped for every poller of the cluster. */
  static Future<Void> announce(Vertx vertx, String batchId, String code) {
    return vertx.sharedData().<String, String>getAsyncMap(MAP)
        .compose(map -> map.put(batchId, code))
        .onSuccess(v -> vertx.eventBus().publish(ADDRESS, new JsonObject().put("id", batchId).put("code", code)));
  }

  /** A finished batch: its lines are all settled, nothing needs stopping any more. */
  static Future<Void> forget(Vertx vertx, String batchId) {
    return vertx.sharedData().<String, String>getAsyncMap(MAP).compose(map -> map.remove(batchId)).mapEmpty();
  }
}
