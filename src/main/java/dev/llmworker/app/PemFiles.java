package dev.llmworker.app;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/** Reads the files {@code cluster.tls} names; every failure is a {@link ConfigException} naming the key. */
final class PemFiles {
  private PemFiles() {}

  static byte[] read(String key, String path) {
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(key, "a readable file", path + " (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")");
    }
  }

  /** The X.509 certificates of a PEM file, in file order; at least one. */
  static List<X509Certificate> certificates(String key, String path, byte[] pem) {
    String expected = "a PEM file of X.509 certificates (-----BEGIN CERTIFICATE-----)";
    List<X509Certificate> certs;
    try {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).stream()
          .map(X509Certificate.class::cast).toList();
    } catch (CertificateException | RuntimeException e) {
      throw new ConfigException(key, expected, path + " (" + e.getMessage() + ")");
    }
    if (certs.isEmpty() || !new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
      throw new ConfigException(key, expected, path + " (no PEM certificate in it)");
    }
    return certs;
  }
}
