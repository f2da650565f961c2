package dev.llmworker.sqs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Group and deduplication ids for FIFO queues. */
public final class FifoIds {
  private FifoIds() {}

  public static boolean isFifo(String queueUrl) {
    return queueUrl.endsWith(".fifo");
  }

  /** A deduplication id (at most 128 characters of [0-9a-f]) that is the same for the same key. */
  public static String deduplicationId(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
