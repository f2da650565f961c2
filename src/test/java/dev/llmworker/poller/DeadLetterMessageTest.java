package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sqs.OutgoingMessage;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** A dead letter is never refused for its attributes: near the size limit they shrink, the body never does. */
class DeadLetterMessageTest {
  private static final int LIMIT = 262_144;

  private static InFlightMessage task(String body) {
    return new InFlightMessage(Message.builder().messageId("m1").receiptHandle("r1").body(body)
        .attributes(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2")).build());
  }

  @Test
  @DisplayName("a small task keeps every attribute and its whole reason")
  void smallTask() {
    OutgoingMessage dead = DeadLetterMessage.build(task("{}"), "invalid_json", "why".repeat(300), LIMIT, "q");
    assertEquals("why".repeat(300), dead.attributes().get(DeadLetterMessage.REASON).stringValue());
    assertEquals("2", dead.attributes().get(DeadLetterMessage.RECEIVE_COUNT).stringValue());
    assertEquals("m1", dead.attributes().get(DeadLetterMessage.SOURCE).stringValue());
    assertEquals(null, dead.groupId());
  }

  @Test
  @DisplayName("a task 300 bytes under the limit: the reason is cut so the whole entry fits, the body is whole")
  void reasonCut() {
    String body = "x".repeat(LIMIT - 300);
    OutgoingMessage dead = DeadLetterMessage.build(task(body), "invalid_json", "é".repeat(400), LIMIT, "q");
    assertNotNull(dead);
    assertTrue(dead.bytes() <= LIMIT, dead.bytes() + " bytes");
    assertEquals(body, dead.body());
    String reason = dead.attributes().get(DeadLetterMessage.REASON).stringValue();
    assertTrue(reason.endsWith("…") && reason.startsWith("éé"), reason);
    assertEquals("invalid_json", dead.attributes().get(DeadLetterMessage.CODE).stringValue());
  }

  @Test
  @DisplayName("a task at the limit keeps only its error code; a body over it cannot be dead-lettered at all")
  void atTheLimit() {
    String body = "x".repeat(LIMIT - 40);
    OutgoingMessage dead = DeadLetterMessage.build(task(body), "invalid_json", "a long reason", LIMIT, "q");
    assertNotNull(dead);
    assertTrue(dead.bytes() <= LIMIT);
    assertEquals(Map.of(DeadLetterMessage.CODE, "invalid_json"),
        Map.of(DeadLetterMessage.CODE, dead.attributes().get(DeadLetterMessage.CODE).stringValue()));
    assertEquals(1, dead.attributes().size());
    assertNull(DeadLetterMessage.build(task("x".repeat(LIMIT)), "invalid_json", "r", LIMIT, "q"));
  }

  @Test
  @DisplayName("on a FIFO DLQ the entry keeps the task's group and is deduplicated by its message id")
  void fifo() {
    OutgoingMessage dead = DeadLetterMessage.build(task("{}"), "c", "r", LIMIT, "https://q/dlq.fifo");
    assertEquals("llmw-dlq", dead.groupId());
    assertEquals("m1", dead.deduplicationId());
  }
}
