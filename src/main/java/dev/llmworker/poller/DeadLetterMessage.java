package dev.llmworker.poller;

import dev.llmworker.sqs.DeadLetter;
import dev.llmworker.sqs.FifoIds;
import dev.llmworker.sqs.OutgoingMessage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The DLQ entry for a task: its body unchanged (so a redrive sends the same task) and the {@code llmw-*} attributes
 * saying why. SQS counts attributes against the message size limit: for a body near the limit the reason is cut
 * and the least needed attributes are left out, so the entry is never refused for its attributes.
 */
final class DeadLetterMessage {
  static final String CODE = DeadLetter.CODE;
  static final String REASON = DeadLetter.REASON;
  static final String RECEIVE_COUNT = DeadLetter.RECEIVE_COUNT;
  static final String SOURCE = DeadLetter.SOURCE;
  static final String FAILED_AT = DeadLetter.FAILED_AT;

  private DeadLetterMessage() {}

  /** Null when even the body with the error code alone is over {@code limitBytes}. */
  static OutgoingMessage build(InFlightMessage task, String code, String reason, int limitBytes, String dlqUrl) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(CODE, code);
    attributes.put(SOURCE, task.messageId);
    attributes.put(RECEIVE_COUNT, String.valueOf(task.receiveCount));
    attributes.put(FAILED_AT, Instant.now().toString());
    attributes.put(REASON, reason);
    OutgoingMessage dead = fitted(task.body, attributes, limitBytes);
    if (dead == null) {
      return null;
    }
    return FifoIds.isFifo(dlqUrl)
        ? dead.inGroup(task.groupId == null ? "llmw-dlq" : task.groupId, task.messageId) : dead;
  }

  private static OutgoingMessage fitted(String body, Map<String, String> attributes, int limitBytes) {
    OutgoingMessage whole = OutgoingMessage.withStrings(body, attributes);
    int over = whole.bytes() - limitBytes;
    if (over <= 0) {
      return whole;
    }
    String reason = attributes.remove(REASON);
    int room = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length - over;
    if (room > 20) {
      attributes.put(REASON, cut(reason, room));
      return OutgoingMessage.withStrings(body, attributes);
    }
    for (String optional : new String[] {FAILED_AT, RECEIVE_COUNT, SOURCE}) {
      attributes.remove(optional);
      OutgoingMessage smaller = OutgoingMessage.withStrings(body, attributes);
      if (smaller.bytes() <= limitBytes) {
        return smaller;
      }
    }
    return null;
  }

  /** At most {@code maxBytes} UTF-8 bytes of {@code text}, never splitting a character. */
  private static String cut(String text, int maxBytes) {
    StringBuilder out = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int n = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (bytes + n + 3 > maxBytes) {
        break;
      }
      out.appendCodePoint(cp);
      bytes += n;
      i += Character.charCount(cp);
    }
    return out.append("…").toString();
  }
}
