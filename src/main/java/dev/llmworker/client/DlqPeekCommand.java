package dev.llmworker.client;

import dev.llmworker.sqs.DeadLetter;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "peek", mixinStandardHelpOptions = true,
    description = "Show dead-lettered tasks and why they failed, without consuming them (they are made visible "
        + "again at once).")
final class DlqPeekCommand extends ClientCommand implements Callable<Integer> {
  private static final int BODY_PREVIEW = 300;

  @Option(names = "--max", paramLabel = "N", defaultValue = "10",
      description = "Show at most N messages, 1 to 1000 (default: ${DEFAULT-VALUE}).")
  int max;

  @Option(names = "--json", description = "One JSON object per message (full body up to 4000 characters).")
  boolean json;

  @Override
  public Integer call() {
    if (max < 1 || max > 1000) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--max: expected 1 to 1000, got " + max);
    }
    try (QueueClient client = QueueClient.connect(loadConfig()); DeadLetters dlq = new DeadLetters(client)) {
      List<DeadLetter> letters = dlq.queue().peek(max).await();
      if (json) {
        letters.forEach(l -> out().println(l.toJson().encode()));
      } else {
        print(StatusCommand.name(client.queues().dlq()), letters);
      }
      out().flush();
      return 0;
    }
  }

  private void print(String queue, List<DeadLetter> letters) {
    out().println(letters.isEmpty() ? queue + " shows no messages"
        : letters.size() + " message(s) in " + queue + " (looked at, not consumed):");
    for (DeadLetter letter : letters) {
      JsonObject l = letter.toJson();
      out().println();
      out().println("  custom_id  " + Terminal.safe(String.valueOf(l.getValue("custom_id")), 200));
      out().println("  message    " + l.getString("message_id"));
      out().println("  error      " + Terminal.safe(l.getString("code"), 100) + " after "
          + l.getInteger("receive_count") + " receive(s)"
          + (l.getString("failed_at") == null ? "" : ", at " + Terminal.safe(l.getString("failed_at"), 40)));
      out().println("  reason     " + Terminal.safe(l.getString("reason"), 500));
      if (l.getString("batch") != null) {
        out().println("  batch      " + Terminal.safe(l.getString("batch"), 100) + " (a redrive returns it to it)");
      }
      out().println("  body       " + Terminal.safe(l.getString("body"), BODY_PREVIEW));
    }
  }
}
