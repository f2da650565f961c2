package dev.llmworker.client;

/** Text from queues shown on a terminal: control characters (escape sequences!) made visible, length capped. */
public final class Terminal {
  private Terminal() {}

  public static String safe(String text, int max) {
    if (text == null) {
      return "";
    }
    StringBuilder s = new StringBuilder(Math.min(text.length(), max) + 8);
    int i = 0;
    for (; i < text.length() && s.length() < max; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r' || c == '\t') {
        s.append(' ');
      } else if (Character.isISOControl(c) || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E)
          || (c >= 0x2066 && c <= 0x2069)) {
        s.append(String.format("\\u%04x", (int) c));
      } else {
        s.append(c);
      }
    }
    return i < text.length() ? s + "…" : s.toString();
  }
}
