package dev.llmworker.app;

import io.vertx.core.net.KeyCertOptions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * This node's private key and certificate chain as the event bus will use them, checked before the node joins: the
 * key belongs to the certificate, the certificate may act as TLS server and client, and the cluster's CA signed it.
 */
record NodeCertificate(PrivateKey key, List<X509Certificate> chain) {
  private static final String[] KEY_TYPES = {"EC", "RSA", "RSASSA-PSS", "EdDSA", "Ed25519", "DSA"};
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  /**
   * Reads {@code options} the way Vert.x will (with its own PEM and PKCS#12 parsers).
   *
   * @param key      the config key the key material came from, for errors
   * @param expected what that key should hold, for errors
   */
  static NodeCertificate of(KeyCertOptions options, String key, String expected, String path) {
    X509KeyManager manager;
    try {
      // from in-memory values Vert.x reads no file, so it needs no Vert.x instance here
      manager = Arrays.stream(options.getKeyManagerFactory(null).getKeyManagers())
          .filter(X509KeyManager.class::isInstance).map(X509KeyManager.class::cast).findFirst().orElseThrow();
    } catch (Exception e) {
      throw new ConfigException(key, expected, path + " (" + reason(e) + ")");
    }
    for (String type : KEY_TYPES) {
      String[] aliases = manager.getServerAliases(type, null);
      if (aliases != null && aliases.length > 0) {
        X509Certificate[] chain = manager.getCertificateChain(aliases[0]);
        PrivateKey privateKey = manager.getPrivateKey(aliases[0]);
        if (chain != null && chain.length > 0 && privateKey != null) {
          return new NodeCertificate(privateKey, List.of(chain));
        }
      }
    }
    throw new ConfigException(key, expected, path + " (no private key with its certificate in it)");
  }

  X509Certificate leaf() {
    return chain.get(0);
  }

  /** The private key signs what the certificate's public key verifies. */
  void requireKeyMatches(String keyKey, String certKey) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "DSA" -> "SHA256withDSA";
      default -> key.getAlgorithm(); // EdDSA, Ed25519, RSASSA-PSS name their own signature
    };
    byte[] probe = "llm-worker".getBytes(StandardCharsets.US_ASCII);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf().getPublicKey());
      verifier.update(probe);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new ConfigException(keyKey + ": the private key does not belong to the certificate"
          + (keyKey.equals(certKey) ? "" : " in " + certKey) + " (" + leaf().getSubjectX500Principal() + ")");
    }
  }

  /** Each node is both TLS server and client: an extended key usage, when given, must allow both. */
  void requireServerAndClientUse(String certKey) {
    List<String> usage;
    try {
      usage = leaf().getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new ConfigException(certKey, "a certificate with a readable extended key usage", e.getMessage());
    }
    if (usage != null && !(usage.contains(SERVER_AUTH) && usage.contains(CLIENT_AUTH))) {
      List<String> named = usage.stream()
          .map(oid -> oid.equals(SERVER_AUTH) ? "serverAuth" : oid.equals(CLIENT_AUTH) ? "clientAuth" : oid).toList();
      throw new ConfigException(certKey + ": the certificate's extendedKeyUsage must include both serverAuth and "
          + "clientAuth (every node accepts and opens event-bus connections), or be left out; it has " + named);
    }
  }

  /** The chain leads to one of {@code cas} and every certificate in it is valid now. */
  void requireSignedBy(List<X509Certificate> cas, String certKey) {
    Set<TrustAnchor> anchors = cas.stream().map(ca -> new TrustAnchor(ca, null)).collect(Collectors.toSet());
    List<X509Certificate> path = chain.stream().filter(c -> !cas.contains(c)).toList();
    try {
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
    } catch (GeneralSecurityException e) {
      throw new ConfigException(certKey, "a certificate signed by the CA in cluster.tls.caFile and valid now",
          leaf().getSubjectX500Principal() + " issued by " + leaf().getIssuerX500Principal() + ", valid "
              + leaf().getNotBefore().toInstant() + " to " + leaf().getNotAfter().toInstant() + " (" + reason(e)
              + ")");
    }
  }

  /** What went wrong, including the cause a key store wraps (a wrong password). */
  private static String reason(Throwable e) {
    String text = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    Throwable cause = e.getCause();
    return cause == null || cause.getMessage() == null || text.contains(cause.getMessage()) ? text
        : text + ": " + cause.getMessage();
  }
}
