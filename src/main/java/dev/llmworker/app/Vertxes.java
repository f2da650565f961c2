package dev.llmworker.app;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.UUID;

/** Creates the Vert.x instance of a node, reporting its own metrics (and the JVM's) to the node's registry. */
public final class Vertxes {
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

  public static VertxOptions options() {
    // a registry name of its own: Vert.x keeps registries by name, and tests run several nodes in one JVM
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
        .setJvmMetricsEnabled(true).setRegistryName("llmw-" + UUID.randomUUID()));
  }
}
