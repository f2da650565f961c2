package dev.llmworker.sqs;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** A queue's approximate message counts, as SQS reports them (GetQueueAttributes). */
public record QueueDepth(String url, long visible, long inFlight, long delayed) {

  /** @param context where the future completes; null for a command-line thread */
  public static Future<QueueDepth> read(SqsAsyncClient sqs, String url, Context context) {
    var call = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
    Future<Map<QueueAttributeName, String>> attributes = (context == null
        ? Future.fromCompletionStage(call) : Future.fromCompletionStage(call, context)).map(r -> r.attributes());
    return attributes.map(a -> new QueueDepth(url,
        number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
        number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
        number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))));
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
