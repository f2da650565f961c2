package dev.llmworker.client;

import dev.llmworker.sqs.QueueDepth;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "purge", mixinStandardHelpOptions = true,
    description = "Delete every message of the dead-letter queue (SQS PurgeQueue). Needs --yes.")
final class DlqPurgeCommand extends ClientCommand implements Callable<Integer> {
  @Option(names = "--yes", description = "Confirm: the dead-lettered tasks are gone for good.")
  boolean yes;

  @Override
  public Integer call() {
    try (QueueClient client = QueueClient.connect(loadConfig())) {
      String dlq = client.queues().dlq();
      QueueDepth depth = QueueDepth.fetch(client.clients().operations(), dlq).join();
      if (!yes) {
        err().println("llm-worker: dlq purge deletes all " + depth.total() + " message(s) of "
            + StatusCommand.name(dlq) + " for good; add --yes to confirm (dlq peek shows them first)");
        return 2;
      }
      client.clients().operations().purgeQueue(b -> b.queueUrl(dlq)).join();
      out().println("purged " + StatusCommand.name(dlq) + ": about " + depth.total() + " message(s) deleted "
          + "(SQS may take up to 60 s to finish, and allows one purge per queue per 60 s)");
      return 0;
    }
  }
}
