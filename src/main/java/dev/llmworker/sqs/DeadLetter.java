package dev.llmworker.sqs;

import dev.llmworker.task.BatchTag;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One message of the dead-letter queue as people see it: the task's custom_id, why it failed (from the
 * {@code llmw-error-*} attributes llm-worker writes; a message moved by the queue's own redrive policy has none),
 * and its body cut to {@link #MAX_BODY} characters.
 */
public record DeadLetter(Message message) {
  static final int MAX_BODY = 4000;
  /** The attributes llm-worker writes on a dead letter (poller {@code DeadLetterMessage}) and reads here. */
  public static final String CODE = "llmw-error-code";
  public static final String REASON = "llmw-error-reason";
  public static final String RECEIVE_COUNT = "llmw-receive-count";
  public static final String SOURCE = "llmw-source-message-id";
  public static final String FAILED_AT = "llmw-failed-at";
  /** How often a task was requeued as a fresh copy (poller {@code Requeues}). */
  public static final String REQUEUES = "llmw-requeues";
  /**
   * Attributes that describe a delivery, not the task: why and when it was dead-lettered, and how often it was
   * requeued. A redrive is a fresh start, so they are left out of the task it sends.
   */
  private static final Set<String> DELIVERY_ATTRIBUTES = Set.of(CODE, REASON, RECEIVE_COUNT, SOURCE, FAILED_AT,
      REQUEUES);

  public String customId() {
    return customIdOf(message.body());
  }

  /** The custom_id of a task body, or null when it is not a JSON object with one (often why it failed). */
  public static String customIdOf(String body) {
    try {
      Object id = new JsonObject(body).getValue("custom_id");
      return id == null ? null : String.valueOf(id);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The tasks-queue message id of the task llm-worker dead-lettered ({@code llmw-source-message-id}), or null. */
  public String sourceMessageId() {
    return attribute(message.messageAttributes(), SOURCE, null);
  }

  /**
   * The message attributes the task carries back to the tasks queue, as SQS's own move task keeps them: a Batch API
   * line keeps its batch's tag, so it rejoins its batch.
   */
  public Map<String, MessageAttributeValue> taskAttributes() {
    Map<String, MessageAttributeValue> kept = new HashMap<>(message.messageAttributes());
    kept.keySet().removeAll(DELIVERY_ATTRIBUTES);
    return kept;
  }

  public JsonObject toJson() {
    Map<String, MessageAttributeValue> attrs = message.messageAttributes();
    String body = message.body() == null ? "" : message.body();
    return new JsonObject()
        .put("message_id", message.messageId())
        .put("custom_id", customId())
        .put("code", attribute(attrs, CODE, "max_receive_count"))
        .put("reason", attribute(attrs, REASON,
            "moved here by the queue's redrive policy after its maximum number of receives"))
        .put("receive_count", Integer.parseInt(attribute(attrs, RECEIVE_COUNT,
            message.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "0"))))
        .put("failed_at", attribute(attrs, FAILED_AT, null))
        .put("batch", BatchTag.batchOf(attrs))
        .put("body", body.length() > MAX_BODY ? body.substring(0, MAX_BODY) : body)
        .put("truncated", body.length() > MAX_BODY);
  }

  private static String attribute(Map<String, MessageAttributeValue> attrs, String name, String fallback) {
    MessageAttributeValue v = attrs.get(name);
    return v == null || v.stringValue() == null ? fallback : v.stringValue();
  }
}
