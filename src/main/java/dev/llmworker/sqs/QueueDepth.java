package dev.llmworker.sqs;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** A queue's approximate message counts, as SQS reports them (GetQueueAttributes). */
public record QueueDepth(String url, long visible, long inFlight, long delayed) {

  /** The counts, completing on {@code context} (a verticle's). */
  public static Future<QueueDepth> read(SqsAsyncClient sqs, String url, Context context) {
    return Future.fromCompletionStage(fetch(sqs, url), context);
  }

  /** The counts, for command-line threads (the future completes on an SDK thread). */
  public static CompletableFuture<QueueDepth> fetch(SqsAsyncClient sqs, String url) {
    return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
        .thenApply(r -> of(url, r.attributes()));
  }

  private static QueueDepth of(String url, Map<QueueAttributeName, String> a) {
    return new QueueDepth(url,
        number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
        number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
        number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)));
  }

  public long total() {
    return visible + inFlight + delayed;
  }

  public JsonObject toJson() {
    return new JsonObject().put("url", url).put("visible", visible).put("in_flight", inFlight)
        .put("delayed", delayed);
  }

  private static long number(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
