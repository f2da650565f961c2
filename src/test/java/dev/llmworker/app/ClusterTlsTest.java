package dev.llmworker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.support.TestCertificates;
import dev.llmworker.support.TestCertificates.Ca;
import dev.llmworker.support.TestCertificates.Node;
import dev.llmworker.support.TestConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** cluster.tls: which sets of keys are valid, and the checks of the files before a node joins. */
class ClusterTlsTest {
  private static final UnaryOperator<String> NO_ENV = name -> null;

  @TempDir
  static Path dir;
  private static Ca ca;
  private static Node node;
  private static Node foreign;
  private static Node expired;
  private static Node serverOnly;

  @BeforeAll
  static void certificates() {
    ca = TestCertificates.ca(dir, "cluster-ca");
    node = ca.node("node-1");
    expired = ca.node("old-node", "-startdate", "-10d", "-validity", "2");
    serverOnly = ca.node("server-only", "-validity", "3", "-ext", "EKU=serverAuth");
    foreign = TestCertificates.ca(dir, "other-ca").node("intruder");
  }

  private static LlmwConfig.Cluster cluster(JsonObject tls) {
    return TestConfig.with(new JsonObject().put("cluster", new JsonObject().put("tls", tls))).cluster();
  }

  private static JsonObject pem(Node n, Path caFile) {
    return new JsonObject().put("keyFile", n.key().toString()).put("certFile", n.cert().toString())
        .put("caFile", caFile.toString());
  }

  private static JsonObject p12(Node n) {
    return new JsonObject().put("keyStore", n.keyStore().toString()).put("keyStorePasswordEnv", "NODE_P12_PASSWORD")
        .put("caFile", ca.pem().toString());
  }

  private static ClusterTls load(JsonObject tls, UnaryOperator<String> env) {
    return ClusterTls.load(cluster(tls).tls(), env);
  }

  private static void fails(Executable start, String key, String... words) {
    ConfigException e = assertThrows(ConfigException.class, start);
    assertTrue(e.getMessage().startsWith(key), key + " first: " + e.getMessage());
    for (String word : words) {
      assertTrue(e.getMessage().contains(word), "'" + word + "' in: " + e.getMessage());
    }
  }

  @Test
  @DisplayName("off by default; the environment names of the keys follow the usual rule")
  void offByDefault() {
    assertFalse(cluster(new JsonObject()).tls().enabled());
    assertEquals("LLMW_CLUSTER_TLS_CA_FILE", ConfigLoader.envName("cluster.tls.caFile"));
    assertEquals("LLMW_CLUSTER_TLS_KEY_STORE_PASSWORD_ENV", ConfigLoader.envName("cluster.tls.keyStorePasswordEnv"));
  }

  @Test
  @DisplayName("a partial or contradictory set of cluster.tls keys fails at start naming the missing or clashing key")
  void partialOrContradictorySets() {
    fails(() -> cluster(new JsonObject().put("caFile", "ca.pem")), "cluster.tls", "caFile alone", "keyFile");
    fails(() -> cluster(new JsonObject().put("keyFile", "k.pem").put("certFile", "c.pem")), "cluster.tls.caFile",
        "CA");
    fails(() -> cluster(new JsonObject().put("keyFile", "k.pem").put("caFile", "ca.pem")), "cluster.tls.certFile",
        "certificate");
    fails(() -> cluster(new JsonObject().put("certFile", "c.pem").put("caFile", "ca.pem")), "cluster.tls.keyFile",
        "private key");
    fails(() -> cluster(new JsonObject().put("keyStore", "n.p12").put("caFile", "ca.pem")),
        "cluster.tls.keyStorePasswordEnv", "environment variable");
    fails(() -> cluster(new JsonObject().put("keyStorePasswordEnv", "P").put("caFile", "ca.pem")),
        "cluster.tls.keyStore", "PKCS#12");
    fails(() -> cluster(new JsonObject().put("keyFile", "k.pem").put("certFile", "c.pem").put("keyStore", "n.p12")
        .put("keyStorePasswordEnv", "P").put("caFile", "ca.pem")), "cluster.tls", "one form", "got both");
  }

  @Test
  @DisplayName("PEM files or a PKCS#12 key store turn on SSL with a client certificate required, trusting the CA")
  void validSetsTurnOnMutualTls() {
    for (ClusterTls tls : new ClusterTls[] {load(pem(node, ca.pem()), NO_ENV),
        load(p12(node), Map.of("NODE_P12_PASSWORD", node.password())::get)}) {
      EventBusOptions options = tls.applyTo(new EventBusOptions());
      assertTrue(options.isSsl());
      assertEquals(ClientAuth.REQUIRED, options.getClientAuth());
      assertNotNull(options.getKeyCertOptions());
      assertNotNull(options.getTrustOptions());
      assertFalse(options.isTrustAll());
      assertTrue(tls.description().contains("CN=node-1") && tls.description().contains("CN=cluster-ca"),
          tls.description());
    }
  }

  @Test
  @DisplayName("an unreadable file or one that does not parse fails at start naming its key and the expected form")
  void unreadableOrUnparsableFiles() throws IOException {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a PEM file\n");
    fails(() -> load(pem(node, dir.resolve("missing-ca.pem")), NO_ENV), "cluster.tls.caFile", "readable",
        "missing-ca.pem");
    fails(() -> load(pem(node, garbage), NO_ENV), "cluster.tls.caFile", "BEGIN CERTIFICATE");
    fails(() -> load(pem(node, ca.pem()).put("certFile", garbage.toString()), NO_ENV), "cluster.tls.certFile",
        "BEGIN CERTIFICATE");
    fails(() -> load(pem(node, ca.pem()).put("keyFile", garbage.toString()), NO_ENV), "cluster.tls.keyFile",
        "BEGIN PRIVATE KEY");
    fails(() -> load(pem(node, ca.pem()).put("keyFile", node.cert().toString()), NO_ENV), "cluster.tls.keyFile",
        "private key");
    fails(() -> load(p12(node).put("keyStore", garbage.toString()), name -> "x"), "cluster.tls.keyStore",
        "PKCS#12");
  }

  @Test
  @DisplayName("a key store's password comes from the named environment variable: unset or wrong fails at start")
  void keyStorePassword() {
    fails(() -> load(p12(node), NO_ENV), "cluster.tls.keyStorePasswordEnv", "NODE_P12_PASSWORD (not set)");
    ConfigException wrong = assertThrows(ConfigException.class, () -> load(p12(node), name -> "wrong-password"));
    assertTrue(wrong.getMessage().startsWith("cluster.tls.keyStore") && wrong.getMessage().contains("$NODE_P12"),
        wrong.getMessage());
    assertFalse(wrong.getMessage().contains("wrong-password"), "the password never shows: " + wrong.getMessage());
  }

  @Test
  @DisplayName("a certificate the CA did not sign, an expired one, one not for client use, or a key of another "
      + "certificate fails at start")
  void contradictoryFiles() {
    fails(() -> load(pem(foreign, ca.pem()), NO_ENV), "cluster.tls.certFile", "signed by the CA", "CN=intruder");
    fails(() -> load(pem(expired, ca.pem()), NO_ENV), "cluster.tls.certFile", "valid now", "CN=old-node");
    fails(() -> load(pem(serverOnly, ca.pem()), NO_ENV), "cluster.tls.certFile", "clientAuth");
    fails(() -> load(pem(node, ca.pem()).put("keyFile", foreign.key().toString()), NO_ENV), "cluster.tls.keyFile",
        "does not belong", "cluster.tls.certFile");
  }

  @Test
  @DisplayName("clustering on a non-loopback address without TLS warns; loopback, TLS on, or no cluster does not")
  void openWarning() {
    JsonObject tls = pem(node, ca.pem());
    assertNotNull(ClusterTls.openWarning(clusterOn("0.0.0.0", new JsonObject())));
    assertNotNull(ClusterTls.openWarning(clusterOn("10.1.2.3", new JsonObject())));
    assertTrue(ClusterTls.openWarning(clusterOn("10.1.2.3", new JsonObject())).contains("cluster.tls is off"));
    assertNull(ClusterTls.openWarning(clusterOn("127.0.0.1", new JsonObject())));
    assertNull(ClusterTls.openWarning(clusterOn("localhost", new JsonObject())));
    assertNull(ClusterTls.openWarning(clusterOn("10.1.2.3", tls)));
    assertNull(ClusterTls.openWarning(TestConfig.with(new JsonObject().put("cluster", new JsonObject()
        .put("host", "0.0.0.0"))).cluster()));
  }

  private static LlmwConfig.Cluster clusterOn(String host, JsonObject tls) {
    return TestConfig.with(new JsonObject().put("cluster", new JsonObject().put("enabled", true).put("host", host)
        .put("tls", tls))).cluster();
  }
}
