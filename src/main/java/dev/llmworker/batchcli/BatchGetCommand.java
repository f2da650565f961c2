package dev.llmworker.batchcli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "get", mixinStandardHelpOptions = true,
    description = "Show a batch: status, request counts, progress and cost, time stamps, file ids, and why its "
        + "input file was refused if it was.")
final class BatchGetCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The batch id (batch_...).")
  String id;

  @Option(names = "--json", description = "Print the API's batch object as it came.")
  boolean json;

  @Override
  int run() throws InterruptedException {
    BatchObject batch = connect().get(id);
    if (json) {
      out().println(batch.json().encode());
    } else {
      BatchSummary.lines(batch).forEach(out()::println);
    }
    out().flush();
    return 0;
  }
}
