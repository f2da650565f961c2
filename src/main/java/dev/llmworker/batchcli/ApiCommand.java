package dev.llmworker.batchcli;

import dev.llmworker.app.ConfigOption;
import dev.llmworker.app.LlmwConfig;
import dev.llmworker.app.Main;
import dev.llmworker.client.ClientException;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the {@code batch} commands share: where the node is ({@code --url}, else the config's monitor address), the
 * token, picocli's out/err, and one way to end: a usage problem exits 2 with its message, the rest as other
 * commands do ({@link ClientException}: exit 1 with its message).
 */
abstract class ApiCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Option(names = "--url", paramLabel = "URL",
      description = "The node's address, e.g. http://127.0.0.1:8080 (a trailing /v1 is fine). Default: "
          + "monitor.host and monitor.port of the configuration (0.0.0.0 read as 127.0.0.1). The token comes from "
          + "LLMW_API_TOKEN, else the first of api.tokens.")
  String url;

  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() throws InterruptedException {
    try {
      return run();
    } catch (UsageProblem e) {
      err().println("llm-worker: batch " + spec.name() + ": " + e.getMessage());
      err().flush();
      return Main.EXIT_USAGE;
    } catch (Unreachable e) {
      throw new ClientException(e.getMessage());
    }
  }

  abstract int run() throws InterruptedException;

  /** The API client for {@code --url} / the configuration; reads the configuration only when it needs to. */
  BatchApi connect() {
    return new BatchApi(ApiTarget.resolve(url, System::getenv, this::loadConfig));
  }

  private LlmwConfig loadConfig() {
    Vertx reader = Vertx.vertx();
    try {
      return config.load(reader);
    } finally {
      reader.close().await();
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
