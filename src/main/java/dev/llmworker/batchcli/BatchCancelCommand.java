package dev.llmworker.batchcli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = "Cancel a batch and print its new status (cancelling, then cancelled once the requests in flight "
        + "have settled); what was done so far stays downloadable.")
final class BatchCancelCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The batch id (batch_...).")
  String id;

  @Override
  int run() throws InterruptedException {
    out().println(connect().cancel(id).statusText());
    out().flush();
    return 0;
  }
}
