package dev.llmworker.task;

import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The message attributes that mark a task (and its result line) as a line of a Batch API batch: the batch's id, and
 * when the batch expires (epoch seconds). A task without them is a plain task and its result goes to the results
 * queue exactly as before.
 */
public final class BatchTag {
  public static final String BATCH = "llmw-batch";
  public static final String EXPIRES = "llmw-batch-expires";

  private BatchTag() {}

  /** The attributes of a line of {@code batchId}. */
  public static Map<String, MessageAttributeValue> of(String batchId, long expiresAt) {
    return Map.of(BATCH, MessageAttributeValue.builder().dataType("String").stringValue(batchId).build(),
        EXPIRES, MessageAttributeValue.builder().dataType("Number").stringValue(Long.toString(expiresAt)).build());
  }

  /** The batch id, or null for a plain task. */
  public static String batchOf(Map<String, MessageAttributeValue> attributes) {
    MessageAttributeValue v = attributes == null ? null : attributes.get(BATCH);
    return v == null || v.stringValue() == null || v.stringValue().isEmpty() ? null : v.stringValue();
  }

  /** When the batch expires (epoch seconds), or {@link Long#MAX_VALUE} when not said. */
  public static long expiresOf(Map<String, MessageAttributeValue> attributes) {
    MessageAttributeValue v = attributes == null ? null : attributes.get(EXPIRES);
    try {
      return v == null ? Long.MAX_VALUE : Long.parseLong(v.stringValue());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
