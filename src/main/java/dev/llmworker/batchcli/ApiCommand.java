package dev.llmworker.batchcli;

import dev.llmworker.app.Main;
import dev.llmworker.client.ClientCommand;
import dev.llmworker.client.ClientException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * What the {@code batch} commands share: where the node is ({@code --url}, else the config's monitor address), the
 * token, picocli's out/err, and one way to end: a usage problem exits 2 with its message, the rest as other
 * commands do ({@link ClientException}: exit 1 with its message).
 */
abstract class ApiCommand extends ClientCommand implements Callable<Integer> {
  @Option(names = "--url", paramLabel = "URL",
      description = "The node's address, e.g. http://127.0.0.1:8080 (a trailing /v1 is fine). Default: "
          + "monitor.host and monitor.port of the configuration (0.0.0.0 read as 127.0.0.1). The token comes from "
          + "LLMW_API_TOKEN, else the first of api.tokens.")
  String url;

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
}
