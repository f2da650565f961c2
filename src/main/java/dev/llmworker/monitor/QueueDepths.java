package dev.llmworker.monitor;

import dev.llmworker.sqs.QueueUrls;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

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
    return Future.fromCompletionStage(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)), context)
        .map(r -> toJson(url, r.attributes()));
  }

  private static JsonObject toJson(String url, Map<QueueAttributeName, String> a) {
    return new JsonObject().put("url", url)
        .put("visible", number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)))
        .put("in_flight", number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)))
        .put("delayed", number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)));
  }

  private static long number(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
