package dev.llmworker.client;

/** What SQS accepts as message text and as a FIFO group id, checked before sending rather than refused after. */
final class SqsText {
  private static final int MAX_GROUP_ID = 128;

  private SqsText() {}

  /**
   * Index of the first character SQS refuses in a message body, or -1. Allowed: #x9, #xA, #xD, #x20 to #xD7FF,
   * #xE000 to #xFFFD and #x10000 to #x10FFFF (so no other control characters, no U+FFFE/U+FFFF and no unpaired
   * surrogate).
   */
  static int firstInvalid(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (!(c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD))) {
        return i;
      }
    }
    return -1;
  }

  /** A FIFO MessageGroupId: 1 to 128 characters of printable ASCII (letters, digits, punctuation). */
  static boolean validGroupId(String s) {
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
