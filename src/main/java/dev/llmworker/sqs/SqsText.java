package dev.llmworker.sqs;

/** What SQS accepts as message text and as a FIFO group id, checked before sending rather than refused after. */
public final class SqsText {
  private static final int MAX_GROUP_ID = 128;

  private SqsText() {}

  /**
   * Index of the first character SQS refuses in a message body, or -1. Allowed: #x9, #xA, #xD, #x20 to #xD7FF,
   * #xE000 to #xFFFD and #x10000 to #x10FFFF (so no other control characters, no U+FFFE/U+FFFF and no unpaired
   * surrogate).
   */
  public static int firstInvalid(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (!allowed(c)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * JSON text SQS accepts: every character SQS refuses (U+FFFE, U+FFFF, an unpaired surrogate, a control character)
   * written as its JSON escape. JSON text has such characters only inside strings, where {@code \\uXXXX} means the
   * same character, so the line parses to the same value. Returns {@code json} itself when nothing needs escaping.
   */
  public static String storableJson(String json) {
    int first = firstInvalid(json);
    if (first < 0) {
      return json;
    }
    StringBuilder out = new StringBuilder(json.length() + 16).append(json, 0, first);
    for (int i = first; i < json.length(); i++) {
      char c = json.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
        out.append(c).append(json.charAt(++i));
      } else if (allowed(c)) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.toString();
  }

  private static boolean allowed(char c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
  }

  /** A FIFO MessageGroupId: 1 to 128 characters of printable ASCII (letters, digits, punctuation). */
  public static boolean validGroupId(String s) {
    if (s.isEmpty() || s.length() > MAX_GROUP_ID) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }
}
