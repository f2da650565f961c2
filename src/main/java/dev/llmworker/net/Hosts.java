package dev.llmworker.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Host names and addresses judged from their text alone: never a DNS lookup. */
public final class Hosts {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private Hosts() {}

  /** {@code localhost}, {@code *.localhost}, 127.0.0.0/8 and ::1 (with or without brackets); nothing else. */
  public static boolean isLoopback(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost") || h.equals("localhost.")) {
      return true;
    }
    if (!IPV4.matcher(h).matches() && !h.contains(":")) {
      return false; // a name other than localhost: only DNS could tell, and we do not ask it
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress(); // a literal address: parsed, not looked up
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }

  /** The host of an http(s) URL, lower case and without brackets; "" when it has none. */
  public static String hostOf(String url) {
    try {
      String host = URI.create(url).getHost();
      if (host == null) {
        return "";
      }
      String h = host.toLowerCase(Locale.ROOT);
      return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /** The host part of a {@code Host} header value ({@code name}, {@code name:port}, {@code [v6]:port}). */
  public static String ofHostHeader(String header) {
    if (header == null) {
      return "";
    }
    String h = header.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }
}
