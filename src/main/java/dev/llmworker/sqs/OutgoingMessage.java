package dev.llmworker.sqs;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * A message to send: its body, message attributes (dead-letter reasons, or a requeued task's own), for FIFO queues
 * its group and deduplication ids (null for standard queues), and a delivery delay (standard queues only).
 */
public record OutgoingMessage(String body, Map<String, MessageAttributeValue> attributes, String groupId,
    String deduplicationId, int delaySeconds) {

  /** SQS's ceiling for one message's delay. */
  public static final int MAX_DELAY_SECONDS = 900;

  public static OutgoingMessage of(String body) {
    return new OutgoingMessage(body, Map.of(), null, null, 0);
  }

  /** A message with string attributes, in the order given. */
  public static OutgoingMessage withStrings(String body, Map<String, String> attributes) {
    Map<String, MessageAttributeValue> out = new LinkedHashMap<>();
    attributes.forEach((k, v) -> out.put(k, string(v)));
    return new OutgoingMessage(body, out, null, null, 0);
  }

  public static MessageAttributeValue string(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  /** The same message for a FIFO queue. */
  public OutgoingMessage inGroup(String group, String deduplication) {
    return new OutgoingMessage(body, attributes, group, deduplication, delaySeconds);
  }

  /** The same message, delivered {@code seconds} later (at most 15 minutes; ignored by FIFO queues). */
  public OutgoingMessage delayed(int seconds) {
    return new OutgoingMessage(body, attributes, groupId, deduplicationId,
        Math.max(0, Math.min(MAX_DELAY_SECONDS, seconds)));
  }

  /** What SQS counts against its size limit: the body plus every attribute's name, type and value. */
  public int bytes() {
    return utf8(body) + attributeBytes(attributes);
  }

  public static int attributeBytes(Map<String, MessageAttributeValue> attributes) {
    int n = 0;
    for (Map.Entry<String, MessageAttributeValue> e : attributes.entrySet()) {
      MessageAttributeValue v = e.getValue();
      SdkBytes binary = v.binaryValue();
      n += utf8(e.getKey()) + utf8(v.dataType())
          + (v.stringValue() != null ? utf8(v.stringValue()) : binary != null ? binary.asByteArray().length : 0);
    }
    return n;
  }

  static int utf8(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }

  Integer sqsDelay() {
    return groupId == null && delaySeconds > 0 ? delaySeconds : null;
  }
}
