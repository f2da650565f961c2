package dev.llmworker.batchcli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The API's epoch-second time stamps as people read them: local time, to the second. */
final class Times {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private Times() {}

  static String local(Long epochSeconds) {
    return epochSeconds == null ? "-"
        : LOCAL.format(Instant.ofEpochSecond(epochSeconds).atZone(ZoneId.systemDefault()));
  }
}
