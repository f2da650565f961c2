package dev.llmworker.client;

import dev.llmworker.sqs.DeadLetterQueue;
import dev.llmworker.sqs.QueueDepth;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "redrive", mixinStandardHelpOptions = true,
    description = "Move dead-lettered tasks back to the tasks queue, where workers run them again. --all uses "
        + "SQS's own message move task where the endpoint supports it, otherwise moves them itself (send to the "
        + "tasks queue, then delete from the DLQ: a message is never deleted before its copy is stored).")
final class DlqRedriveCommand extends ClientCommand implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Which which;

  static final class Which {
    @Option(names = "--all", required = true, description = "Every message of the dead-letter queue.")
    boolean all;

    @Option(names = "--custom-id", paramLabel = "ID", arity = "1..*", required = true,
        description = "Only these tasks (custom_id or SQS message id); looks through at most "
            + DeadLetterQueue.SCAN_LIMIT + " messages.")
    List<String> ids;
  }

  @Override
  public Integer call() throws InterruptedException {
    try (QueueClient client = QueueClient.connect(loadConfig())) {
      String from = StatusCommand.name(client.queues().dlq());
      String to = StatusCommand.name(client.queues().tasks());
      return which.all ? all(client, from, to) : some(client, from, to);
    }
  }

  private int all(QueueClient client, String from, String to) throws InterruptedException {
    Progress progress = new Progress(err(), "redrive");
    long before = visible(client);
    long movedNatively = 0;
    try {
      movedNatively = new NativeRedrive(client.clients().operations(), client.queues()).moveAll(progress);
      progress.finish();
      long left = visible(client);
      if (movedNatively >= before || left == 0) {
        out().println("moved " + movedNatively + " message(s) from " + from + " to " + to + " (SQS message move task)");
        return 0;
      }
      // seen with FIFO queues: the move task reports success, having moved nothing
      err().println("the SQS message move task moved " + movedNatively + " of " + before + " message(s), and " + left
          + " are still in " + from + "; moving them one batch at a time instead");
    } catch (NativeRedrive.Unsupported e) {
      progress.finish();
      err().println("SQS message move task not available here (" + Terminal.safe(e.getMessage(), 300)
          + "); moving the messages one batch at a time instead");
    }
    try (DeadLetters dlq = new DeadLetters(client)) {
      long moved = movedNatively + dlq.queue().redriveAll().await().moved();
      out().println("moved " + moved + " message(s) from " + from + " to " + to);
      return 0;
    }
  }

  private static long visible(QueueClient client) {
    return QueueDepth.fetch(client.clients().operations(), client.queues().dlq()).join().visible();
  }

  private int some(QueueClient client, String from, String to) {
    try (DeadLetters dlq = new DeadLetters(client)) {
      DeadLetterQueue.Redriven r = dlq.queue().redrive(new LinkedHashSet<>(which.ids)).await();
      out().println("moved " + r.moved() + " message(s) from " + from + " to " + to);
      if (r.notFound().isEmpty()) {
        return 0;
      }
      err().println("not found in " + from + ": " + Terminal.safe(String.join(", ", r.notFound()), 2000));
      return 1;
    }
  }
}
