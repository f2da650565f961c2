package dev.llmworker.app;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by every command that reads the configuration. */
public final class ConfigOption {
  @Option(names = "--config", paramLabel = "FILE",
      description = "JSON config file (default: conf/config.json when present). Environment LLMW_* and "
          + "-Dllmw.* override it.")
  Path file;

  /** Loads and validates the configuration; blocking, for the command-line thread. */
  public LlmwConfig load(Vertx vertx) {
    return ConfigLoader.load(vertx, file).await();
  }
}
