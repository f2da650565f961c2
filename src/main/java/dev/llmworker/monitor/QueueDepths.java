package dev.llmworker.monitor;

import dev.llmworker.sqs.QueueDepth;
import dev.llmworker.sqs.QueueUrls;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** Approximate depths of the tasks, results and dead-letter queues (visible, in flight, delayed). */
final class QueueDepths {
  private final SqsAsyncClient sqs;
  private final QueueUrls queues;
  private final Context context;
  private volatile JsonObject latest = new JsonObject();
  private volatile boolean reachable;

  QueueDepths(SqsAsyncClient sqs, QueueUrls queues, Context context) {
    this.sqs = sqs;
    this.queues = queues;
    this.context = context;
  }

  /** Exposes the depths as {@code llmw_queue_messages{queue,state}} gauges. */
  void bind(MeterRegistry registry) {
    for (String queue : new String[] {"tasks", "results", "dlq"}) {
      for (String state : new String[] {"visible", "in_flight", "delayed"}) {
        Gauge.builder("llmw.queue.messages", this, d -> d.latest().getJsonObject(queue, new JsonObject())
                .getLong(state, 0L))
            .description("Approximate messages in the queue (SQS GetQueueAttributes, refreshed every 2 s)")
            .tags("queue", queue, "state", state).register(registry);
      }
    }
  }

  JsonObject latest() {
    return latest;
  }

  boolean reachable() {
    return reachable;
  }

  Future<JsonObject> refresh() {
    return Future.all(depth(queues.tasks()), depth(queues.results()), depth(queues.dlq()))
        .map(all -> new JsonObject().put("tasks", all.resultAt(0)).put("results", all.resultAt(1))
            .put("dlq", all.resultAt(2)))
        .onSuccess(json -> {
          latest = json;
          reachable = true;
        })
        .onFailure(e -> reachable = false);
  }

  private Future<JsonObject> depth(String url) {
    return QueueDepth.read(sqs, url, context).map(QueueDepth::toJson);
  }
}
