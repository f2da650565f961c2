package dev.llmworker.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificate authorities and node certificates for TLS tests, made with the JDK's own {@code keytool} (no openssl,
 * no extra library): EC P-256 keys, PEM files (PKCS#8 key, certificate) and a PKCS#12 key store per node.
 */
public final class TestCertificates {
  private static final String STORE_PASSWORD = "test-store";

  private TestCertificates() {}

  /** A node's files: {@code key} and {@code cert} in PEM, and both in {@code keyStore} (PKCS#12, {@code password}). */
  public record Node(Path key, Path cert, Path keyStore, String password) {}

  /** A CA whose key stays in {@code keyStore}; {@code pem} is its certificate, what nodes trust. */
  public record Ca(Path dir, String name, Path keyStore, Path pem) {
    /** A node certificate signed by this CA, for TLS server and client use, valid from now for 3 days. */
    public Node node(String commonName) {
      return node(commonName, "-validity", "3", "-ext", "EKU=serverAuth,clientAuth");
    }

    /** A node certificate signed by this CA with the given {@code keytool -gencert} options. */
    public Node node(String commonName, String... gencertOptions) {
      Path self = dir.resolve(commonName + "-self.p12");
      Path csr = dir.resolve(commonName + ".csr");
      Path signed = dir.resolve(commonName + ".crt");
      keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
          "CN=" + commonName, "-keystore", self.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
      keytool("-certreq", "-alias", "node", "-keystore", self.toString(), "-storepass", STORE_PASSWORD, "-file",
          csr.toString());
      List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", keyStore.toString(),
          "-storepass", STORE_PASSWORD, "-infile", csr.toString(), "-outfile", signed.toString(), "-rfc"));
      gencert.addAll(List.of(gencertOptions));
      keytool(gencert.toArray(String[]::new));
      try {
        PrivateKey key = (PrivateKey) load(self, STORE_PASSWORD).getKey("node", STORE_PASSWORD.toCharArray());
        X509Certificate cert = certificate(signed);
        X509Certificate ca = certificate(pem);
        Path keyFile = write(dir.resolve(commonName + ".key"), TestCertificates.pem("PRIVATE KEY", key.getEncoded()));
        Path certFile = write(dir.resolve(commonName + ".pem"), TestCertificates.pem("CERTIFICATE", cert.getEncoded()));
        String password = "node-password-" + commonName;
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(null, null);
        p12.setKeyEntry("node", key, password.toCharArray(), new Certificate[] {cert, ca});
        Path keyStoreFile = dir.resolve(commonName + ".p12");
        try (OutputStream out = Files.newOutputStream(keyStoreFile)) {
          p12.store(out, password.toCharArray());
        }
        return new Node(keyFile, certFile, keyStoreFile, password);
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot write the files of node " + commonName, e);
      }
    }
  }

  /** A new CA named {@code CN=name} in {@code dir}, valid for 3 days. */
  public static Ca ca(Path dir, String name) {
    Path store = dir.resolve(name + "-ca.p12");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
        "-ext", "bc:c", "-validity", "3", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass",
        STORE_PASSWORD);
    try {
      Certificate cert = load(store, STORE_PASSWORD).getCertificate("ca");
      return new Ca(dir, name, store, write(dir.resolve(name + "-ca.pem"), pem("CERTIFICATE", cert.getEncoded())));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot write the CA certificate " + name, e);
    }
  }

  private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password.toCharArray());
    }
    return store;
  }

  private static X509Certificate certificate(Path file) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static Path write(Path file, String text) throws IOException {
    return Files.writeString(file, text, StandardCharsets.US_ASCII);
  }

  private static void keytool(String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
        .toString(), "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + command + "\n" + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
