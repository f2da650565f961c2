package dev.llmworker.sqs;

import io.vertx.core.json.JsonObject;
import java.util.Map;
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
    return attribute(message.messageAttributes(), "llmw-source-message-id", null);
  }

  public JsonObject toJson() {
    Map<String, MessageAttributeValue> attrs = message.messageAttributes();
    String body = message.body() == null ? "" : message.body();
    return new JsonObject()
        .put("message_id", message.messageId())
        .put("custom_id", customId())
        .put("code", attribute(attrs, "llmw-error-code", "max_receive_count"))
        .put("reason", attribute(attrs, "llmw-error-reason",
            "moved here by the queue's redrive policy after its maximum number of receives"))
        .put("receive_count", Integer.parseInt(attribute(attrs, "llmw-receive-count",
            message.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "0"))))
        .put("failed_at", attribute(attrs, "llmw-failed-at", null))
        .put("body", body.length() > MAX_BODY ? body.substring(0, MAX_BODY) : body)
        .put("truncated", body.length() > MAX_BODY);
  }

  private static String attribute(Map<String, MessageAttributeValue> attrs, String name, String fallback) {
    MessageAttributeValue v = attrs.get(name);
    return v == null || v.stringValue() == null ? fallback : v.stringValue();
  }
}
