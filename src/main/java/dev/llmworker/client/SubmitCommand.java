package dev.llmworker.client;

import dev.llmworker.provider.ProviderRoutes;
import dev.llmworker.app.LlmwConfig;
import dev.llmworker.app.Main;
import dev.llmworker.sqs.FifoIds;
import dev.llmworker.task.TaskDecoder;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit", mixinStandardHelpOptions = true,
    description = {"Enqueue tasks from a JSONL file (OpenAI Batch API input lines), sent unchanged.",
        "Every line is checked the way the workers check it; bad lines are reported with their number and "
            + "skipped. Exit code 0 when every line was sent, 1 when any was not, 2 for bad usage or config."})
public final class SubmitCommand extends ClientCommand implements Callable<Integer> {
  /** Batches out at once: enough to hide SQS round trips, few enough to keep memory small. */
  static final int IN_FLIGHT_BATCHES = 16;

  @Parameters(index = "0", paramLabel = "FILE.jsonl", description = "One task per line; blank lines are skipped.")
  Path file;

  @Option(names = "--queue-url", paramLabel = "URL",
      description = "Tasks queue to send to (default: the configured tasks queue).")
  String queueUrl;

  @Option(names = "--provider", paramLabel = "NAME",
      description = "Set \"provider\" to NAME (a configured provider) in every task; lines are re-encoded then.")
  String provider;

  @Option(names = "--group-by", paramLabel = "FIELD",
      description = "FIFO queues: the field whose value is the message group, a top-level field or a dotted "
          + "path such as body.model (default: each task is its own group).")
  String groupBy;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = out();
    String usageProblem = usageProblem();
    if (usageProblem != null) {
      return usageError(usageProblem);
    }
    LlmwConfig cfg = loadConfig();
    Set<String> providers = providerNames(cfg);
    if (provider != null && !providers.contains(provider)) {
      return usageError("--provider " + provider + ": not a configured provider; configured: "
          + String.join(", ", providers));
    }
    try (QueueClient client = queueUrl != null ? QueueClient.forTasks(cfg, queueUrl) : QueueClient.connect(cfg)) {
      String url = client.queues().tasks();
      MessageLimit limit = QueueProbe.limit(client, url, cfg.sqs().maxMessageBytes(),
          queueUrl != null ? "--queue-url" : "sqs.queueUrl");
      out.println("submitting " + file + " to " + url + " at " + client.endpoint());
      boolean fifo = FifoIds.isFifo(url);
      printNotes(out, fifo);
      out.flush();
      Progress progress = new Progress(err(), "submit");
      SubmitTally tally = new SubmitTally(progress);
      TaskLineCheck check = new TaskLineCheck(new TaskDecoder(providers),
          new ProviderRoutes(cfg.providers()), limit, provider,
          fifo, fifo ? groupBy : null);
      // within a FIFO group SQS keeps the order it receives messages in: one batch at a time keeps the file's
      int inFlight = fifo && groupBy != null ? 1 : IN_FLIGHT_BATCHES;
      TaskBatchSender sender = new TaskBatchSender(client.clients().operations(), url, limit.bytes(), inFlight,
          tally);
      long stoppedAt;
      try (InputLines input = new InputLines(Files.newInputStream(file), limit)) {
        stoppedAt = new TaskFileSubmitter(check, sender, tally, progress).run(input, Files.size(file));
      }
      out.println(tally.summary(url, progress.elapsedMs()));
      if (stoppedAt > 0) {
        out.println("stopped at line " + stoppedAt + ": SQS kept failing (" + sender.stopReason().getMessage()
            + "); the lines after it were not read");
      }
      out.flush();
      return tally.notSent() == 0 && stoppedAt == 0 ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }
  }

  /** What is wrong with the command line itself, before any config or network, or null. */
  private String usageProblem() {
    if (!Files.exists(file)) {
      return file + ": no such file";
    }
    if (Files.isDirectory(file)) {
      return file + ": is a directory, not a JSONL file";
    }
    if (!Files.isReadable(file)) {
      return file + ": cannot be read (permissions)";
    }
    if (queueUrl != null && !looksLikeQueueUrl(queueUrl)) {
      return "--queue-url: expected a queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/llm-tasks"
          + ", got \"" + queueUrl + "\"";
    }
    if (groupBy != null && (groupBy.isBlank() || groupBy.startsWith(".") || groupBy.endsWith(".")
        || groupBy.contains(".."))) {
      return "--group-by: expected a field name or a dotted path such as body.model, got \"" + groupBy + "\"";
    }
    return null;
  }

  private static boolean looksLikeQueueUrl(String url) {
    try {
      URI uri = new URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
          && uri.getPath() != null && uri.getPath().length() > 1;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private void printNotes(PrintWriter out, boolean fifo) {
    if (fifo && groupBy == null) {
      out.println("note: FIFO queue without --group-by: each task is its own message group (its custom_id), "
          + "so tasks run in no particular order");
    }
    if (!fifo && groupBy != null) {
      out.println("note: --group-by " + groupBy + " has no effect: the queue is not a FIFO queue (.fifo)");
    }
  }

  private int usageError(String message) {
    err().println("llm-worker: submit: " + message);
    err().flush();
    return Main.EXIT_USAGE;
  }

  private static Set<String> providerNames(LlmwConfig cfg) {
    Set<String> names = new LinkedHashSet<>();
    cfg.providers().forEach(p -> names.add(p.name()));
    return names;
  }
}
