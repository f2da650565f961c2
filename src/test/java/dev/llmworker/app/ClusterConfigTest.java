package dev.llmworker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import dev.llmworker.support.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** cluster.* settings: validated at start, applied on top of the shipped Hazelcast file. */
class ClusterConfigTest {
  private static LlmwConfig.Cluster cluster(JsonObject overrides) {
    return TestConfig.with(new JsonObject().put("cluster", overrides)).cluster();
  }

  @Test
  @DisplayName("the shipped cluster.xml joins by TCP on loopback with multicast off; config overrides name, port, "
      + "interface and members")
  void shippedFileWithOverrides() {
    Config defaults = Vertxes.hazelcast(cluster(new JsonObject()));
    assertEquals("llm-worker", defaults.getClusterName());
    assertFalse(defaults.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
    assertTrue(defaults.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703"),
        defaults.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
    assertTrue(defaults.getMapConfigs().containsKey("__vertx.haInfo"), "Vert.x's maps are configured");

    Config custom = Vertxes.hazelcast(cluster(new JsonObject().put("name", "prod").put("port", 6000)
        .put("host", "10.1.2.3").put("members", new JsonArray().add("10.1.2.3:6000").add(" 10.1.2.4:6000 "))));
    assertEquals("prod", custom.getClusterName());
    assertEquals(6000, custom.getNetworkConfig().getPort());
    assertEquals(List.of("10.1.2.3"), List.copyOf(custom.getNetworkConfig().getInterfaces().getInterfaces()));
    assertEquals(List.of("10.1.2.3:6000", "10.1.2.4:6000"),
        custom.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
  }

  @Test
  @DisplayName("Hazelcast listens only on cluster.host when it is an IP address (loopback by default); a host name "
      + "or 0.0.0.0 leaves it on every interface")
  void hazelcastBindsTheClusterInterface() {
    assertEquals("false", Vertxes.hazelcast(cluster(new JsonObject())).getProperty(Vertxes.BIND_ANY));
    assertEquals("false", Vertxes.hazelcast(cluster(new JsonObject().put("host", "10.1.2.3")))
        .getProperty(Vertxes.BIND_ANY));
    for (String any : List.of("0.0.0.0", "node-1.internal")) {
      Config hz = Vertxes.hazelcast(cluster(new JsonObject().put("host", any)));
      assertNull(hz.getProperty(Vertxes.BIND_ANY), any);
      assertFalse(hz.getNetworkConfig().getInterfaces().isEnabled(), any);
    }
  }

  @Test
  @DisplayName("bad cluster settings fail at start naming the key and the expected form")
  void badSettings() {
    ConfigException members = assertThrows(ConfigException.class,
        () -> cluster(new JsonObject().put("members", new JsonArray().add("10.0.0.5"))));
    assertTrue(members.getMessage().contains("cluster.members") && members.getMessage().contains("host:port"),
        members.getMessage());
    ConfigException port = assertThrows(ConfigException.class, () -> cluster(new JsonObject().put("port", 0)));
    assertTrue(port.getMessage().contains("cluster.port"), port.getMessage());
    ConfigException file = assertThrows(ConfigException.class,
        () -> Vertxes.hazelcast(cluster(new JsonObject().put("configFile", "/no/such/cluster.xml"))));
    assertTrue(file.getMessage().contains("cluster.configFile") && file.getMessage().contains("not found"),
        file.getMessage());
  }
}
