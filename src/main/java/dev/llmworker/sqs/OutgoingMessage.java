package dev.llmworker.sqs;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * A message to send, with optional string attributes (dead-letter reasons) and, for FIFO queues, its group
 * and deduplication ids (null for standard queues).
 */
public record OutgoingMessage(String body, Map<String, String> attributes, String groupId, String deduplicationId) {

  public static OutgoingMessage of(String body) {
    return new OutgoingMessage(body, Map.of(), null, null);
  }

  public OutgoingMessage(String body, Map<String, String> attributes) {
    this(body, attributes, null, null);
  }

  /** The same message for a FIFO queue. */
  public OutgoingMessage inGroup(String group, String deduplication) {
    return new OutgoingMessage(body, attributes, group, deduplication);
  }

  int bytes() {
    int n = body.getBytes(StandardCharsets.UTF_8).length;
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      n += e.getKey().length() + e.getValue().length() + 16;
    }
    return n;
  }

  Map<String, MessageAttributeValue> sqsAttributes() {
    java.util.HashMap<String, MessageAttributeValue> out = new java.util.HashMap<>();
    attributes.forEach((k, v) -> out.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
    return out;
  }
}
