package dev.llmworker.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.UUID;

/** Creates the Vert.x instance of a node, reporting its own metrics (and the JVM's) to the node's registry. */
public final class Vertxes {
  private Vertxes() {}

  public static Vertx create(PrometheusMeterRegistry registry) {
    return Vertx.builder().with(options()).withMetrics(new MicrometerMetricsFactory(registry)).build();
  }

  public static VertxOptions options() {
    // a registry name of its own: Vert.x keeps registries by name, and tests run several nodes in one JVM
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
        .setJvmMetricsEnabled(true).setRegistryName("llmw-" + UUID.randomUUID()));
  }
}
