package dev.llmworker.app;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Mutual TLS on the clustered event bus ({@code cluster.tls}): the files are read once at start, checked, and handed
 * to Vert.x as values. Every node presents its certificate and accepts only peers whose certificate the cluster's
 * CA signed, in both directions, so a node without one can neither send to nor receive from the others. Vert.x's
 * event-bus client does not verify host names: one certificate may serve every node, and its names need not match
 * node addresses.
 */
final class ClusterTls {
  static final String KEY_FILE = "cluster.tls.keyFile";
  static final String CERT_FILE = "cluster.tls.certFile";
  static final String CA_FILE = "cluster.tls.caFile";
  static final String KEY_STORE = "cluster.tls.keyStore";
  static final String PASSWORD_ENV = "cluster.tls.keyStorePasswordEnv";

  private final KeyCertOptions keyCert;
  private final Buffer ca;
  private final String description;

  private ClusterTls(KeyCertOptions keyCert, Buffer ca, String description) {
    this.keyCert = keyCert;
    this.ca = ca;
    this.description = description;
  }

  /**
   * Reads and checks the files of an enabled {@code cluster.tls}.
   *
   * @param env the environment, for the key store's password
   */
  static ClusterTls load(LlmwConfig.Tls tls, UnaryOperator<String> env) {
    byte[] caPem = PemFiles.read(CA_FILE, tls.caFile());
    List<X509Certificate> cas = PemFiles.certificates(CA_FILE, tls.caFile(), caPem);
    KeyCertOptions keyCert = tls.keyStoreForm() ? keyStore(tls, env) : pem(tls);
    String keyKey = tls.keyStoreForm() ? KEY_STORE : KEY_FILE;
    String certKey = tls.keyStoreForm() ? KEY_STORE : CERT_FILE;
    NodeCertificate node = tls.keyStoreForm()
        ? NodeCertificate.of(keyCert, KEY_STORE, "a PKCS#12 file with this node's private key and certificate, "
            + "readable with the password in $" + tls.keyStorePasswordEnv(), tls.keyStore())
        : NodeCertificate.of(keyCert, KEY_FILE, "an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----, RSA "
            + "PRIVATE KEY or EC PRIVATE KEY) for the certificate in " + CERT_FILE, tls.keyFile());
    node.requireKeyMatches(keyKey, certKey);
    node.requireServerAndClientUse(certKey);
    node.requireSignedBy(cas, certKey);
    return new ClusterTls(keyCert, Buffer.buffer(caPem), describe(node.leaf(), cas));
  }

  private static KeyCertOptions pem(LlmwConfig.Tls tls) {
    byte[] cert = PemFiles.read(CERT_FILE, tls.certFile());
    PemFiles.certificates(CERT_FILE, tls.certFile(), cert);
    return new PemKeyCertOptions().addKeyValue(Buffer.buffer(PemFiles.read(KEY_FILE, tls.keyFile())))
        .addCertValue(Buffer.buffer(cert));
  }

  private static KeyCertOptions keyStore(LlmwConfig.Tls tls, UnaryOperator<String> env) {
    String password = env.apply(tls.keyStorePasswordEnv());
    if (password == null) {
      throw new ConfigException(PASSWORD_ENV, "the name of a set environment variable holding the key store's "
          + "password", tls.keyStorePasswordEnv() + " (not set)");
    }
    return new PfxOptions().setValue(Buffer.buffer(PemFiles.read(KEY_STORE, tls.keyStore()))).setPassword(password);
  }

  /**
   * SSL on, a client certificate required, this node's key and certificate, trust in the cluster's CA only. The event
   * bus trusts every certificate unless told otherwise ({@code trustAll} defaults to true there, unlike elsewhere in
   * Vert.x), which would let any certificate in.
   */
  EventBusOptions applyTo(EventBusOptions options) {
    return options.setSsl(true).setClientAuth(ClientAuth.REQUIRED).setTrustAll(false).setKeyCertOptions(keyCert)
        .setTrustOptions(new PemTrustOptions().addCertValue(ca));
  }

  /** For the start-up log: whose certificate, until when, trusting which CA. */
  String description() {
    return description;
  }

  private static String describe(X509Certificate leaf, List<X509Certificate> cas) {
    DateTimeFormatter day = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
    return "mutual TLS, this node's certificate " + leaf.getSubjectX500Principal() + " (valid until "
        + day.format(leaf.getNotAfter().toInstant()) + "), trusting " + String.join("; ",
            cas.stream().map(c -> c.getSubjectX500Principal().toString()).toList());
  }

  /**
   * The warning for a node that clusters without TLS on an address other machines may reach, or null: whoever
   * reaches its event-bus port can send to the control addresses and read tasks.
   */
  static String openWarning(LlmwConfig.Cluster cluster) {
    if (!cluster.enabled() || cluster.tls().enabled() || loopback(cluster.host())) {
      return null;
    }
    return "cluster.host " + cluster.host() + " is not a loopback address and cluster.tls is off: anyone who reaches "
        + "this node's event-bus port can send to the control addresses (pause, scale, budgets) without the monitor "
        + "token and read tasks on their way to workers. Set cluster.tls (README, Cluster), or keep the event-bus "
        + "and Hazelcast ports behind a firewall.";
  }

  private static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }
}
