package dev.llmworker.client;

import dev.llmworker.app.ConfigOption;
import dev.llmworker.app.LlmwConfig;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What the client commands share: {@code --config} read like {@code run}, and picocli's out/err. */
public abstract class ClientCommand {
  @Mixin
  protected ConfigOption config;

  @Spec
  protected CommandSpec spec;

  /** Reads and validates the configuration with a short-lived Vert.x (vertx-config needs one). */
  protected LlmwConfig loadConfig() {
    Vertx reader = Vertx.vertx();
    try {
      return config.load(reader);
    } finally {
      reader.close().await();
    }
  }

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
