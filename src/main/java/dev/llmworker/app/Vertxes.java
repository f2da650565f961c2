package dev.llmworker.app;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the Vert.x instance of a node, reporting its own metrics (and the JVM's) to the node's registry; with
 * {@code cluster.enabled}, a clustered one joined through Hazelcast.
 */
public final class Vertxes {
  /** The file shipped in the jar, used when {@code cluster.configFile} is the default and not on disk. */
  static final String DEFAULT_CLUSTER_FILE = "cluster/cluster.xml";
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  /** Hazelcast's property: listen on every interface (its default) or only on the chosen one. */
  static final String BIND_ANY = "hazelcast.socket.bind.any";
  private static final Logger LOG = LoggerFactory.getLogger(Vertxes.class);

  private Vertxes() {}

  /**
   * A registry for one node. Micrometer's {@code jvm.compilation.time} and {@code process.cpu.time} come out as
   * {@code jvm_compilation_time_ms_total} and {@code process_cpu_time_ns_total}, which Prometheus' linter rejects
   * (abbreviated units), and {@code system.cpu.count} ends in {@code _count} like a histogram's part; they are left
   * out ({@code process_cpu_usage} and {@code system_cpu_usage} remain).
   */
  public static PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(MeterFilter.denyNameStartsWith("jvm.compilation.time"))
        .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
        .meterFilter(MeterFilter.denyNameStartsWith("system.cpu.count"));
    return registry;
  }

  public static Vertx create(PrometheusMeterRegistry registry) {
    return Vertx.builder().with(options()).withMetrics(new MicrometerMetricsFactory(registry)).build();
  }

  /** Joins (or forms) the cluster; fails with the reason when the Hazelcast file is unusable or the join fails. */
  public static Future<Vertx> createClustered(PrometheusMeterRegistry registry, LlmwConfig.Cluster cluster) {
    Config hz = hazelcast(cluster);
    VertxOptions options = options().setEventBusOptions(eventBus(cluster));
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry))
        .withClusterManager(new HazelcastClusterManager(hz)).buildClustered();
  }

  /**
   * The event bus's address and, with {@code cluster.tls}, its mutual TLS (the files are checked here, before the
   * node joins); logs which, and warns when a non-loopback address is open to anyone.
   */
  static EventBusOptions eventBus(LlmwConfig.Cluster cluster) {
    String advertised = cluster.publicHost().isEmpty() ? null : cluster.publicHost();
    EventBusOptions options = new EventBusOptions().setHost(cluster.host()).setPort(cluster.eventBusPort())
        .setClusterPublicHost(advertised);
    if (!cluster.tls().enabled()) {
      String warning = ClusterTls.openWarning(cluster);
      if (warning != null) {
        LOG.warn(warning);
      }
      return options;
    }
    ClusterTls tls = ClusterTls.load(cluster.tls(), System::getenv);
    LOG.info("cluster event bus: {}", tls.description());
    return tls.applyTo(options);
  }

  public static VertxOptions options() {
    // a registry name of its own: Vert.x keeps registries by name, and tests run several nodes in one JVM
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
        .setJvmMetricsEnabled(true).setRegistryName("llmw-" + UUID.randomUUID()));
  }

  /** The Hazelcast file with {@code cluster.*} applied on top: name, port, interface, members, public address. */
  static Config hazelcast(LlmwConfig.Cluster cluster) {
    Config hz = load(cluster.configFile());
    hz.setClusterName(cluster.name());
    NetworkConfig network = hz.getNetworkConfig().setPort(cluster.port());
    if (IPV4.matcher(cluster.host()).matches() && !cluster.host().equals("0.0.0.0")) {
      network.getInterfaces().setEnabled(true).clear().addInterface(cluster.host());
      // without it Hazelcast listens on every interface and only advertises this one
      hz.setProperty(BIND_ANY, "false");
    } else {
      network.getInterfaces().setEnabled(false); // a host name or 0.0.0.0: Hazelcast picks the interface
    }
    if (!cluster.publicHost().isEmpty()) {
      network.setPublicAddress(cluster.publicHost() + ":" + cluster.port());
    }
    if (!cluster.members().isEmpty()) {
      network.getJoin().getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
      network.getJoin().getMulticastConfig().setEnabled(false);
    }
    return hz;
  }

  private static Config load(String path) {
    File file = new File(path);
    try {
      if (!path.isEmpty() && file.isFile()) {
        return new XmlConfigBuilder(file.getPath()).build();
      }
      if (path.isEmpty() || path.equals(DEFAULT_CLUSTER_FILE)) {
        try (InputStream in = Vertxes.class.getResourceAsStream("/llmw/cluster.xml")) {
          return new XmlConfigBuilder(in).build();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("cluster.configFile", "a valid Hazelcast XML file", path + " (" + e.getMessage()
          + ")");
    }
    throw new ConfigException("cluster.configFile", "the path of a Hazelcast XML file", path + " (not found)");
  }
}
