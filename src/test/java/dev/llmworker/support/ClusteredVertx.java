package dev.llmworker.support;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.UUID;

/** Clustered Vert.x instances in this JVM, joined by Hazelcast over TCP on loopback (no multicast). */
public final class ClusteredVertx {
  private ClusteredVertx() {}

  /** One member listening on {@code port}, joining {@code members}, in a cluster named {@code cluster}. */
  public static Vertx start(String cluster, int port, List<Integer> members) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(cluster);
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    NetworkConfig network = hz.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    members.forEach(p -> join.getTcpIpConfig().addMember("127.0.0.1:" + p));
    VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0));
    return SqsFixture.await(Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hz))
        .buildClustered());
  }

  public static String newClusterName() {
    return "llmw-test-" + UUID.randomUUID();
  }
}
