package dev.llmworker.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Bearer tokens checked in constant time: only digests are kept and compared, so neither a token's content nor its
 * length leaks through timing, and every known token is compared (no early exit on a match).
 */
public final class BearerSecrets {
  private static final String PREFIX = "Bearer ";

  /** What an {@code Authorization} header amounts to. */
  public enum Verdict { MISSING, WRONG, KNOWN }

  private final List<byte[]> digests;

  public BearerSecrets(List<String> tokens) {
    this.digests = tokens.stream().map(BearerSecrets::digest).toList();
  }

  /** No token configured: whatever it guards is off. */
  public boolean none() {
    return digests.isEmpty();
  }

  public Verdict check(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return Verdict.MISSING;
    }
    byte[] given = digest(authorization.substring(PREFIX.length()).trim());
    boolean known = false;
    for (byte[] d : digests) {
      known |= MessageDigest.isEqual(d, given);
    }
    return known ? Verdict.KNOWN : Verdict.WRONG;
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
