package dev.llmworker.client;

import dev.llmworker.sqs.QueueDepth;
import dev.llmworker.sqs.QueueUrls;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show how many messages the tasks, results and dead-letter queues (and the Batch API's results "
        + "queue, when it exists) hold: visible, in flight (received, not yet deleted) and delayed (SQS's "
        + "approximate counts).")
public final class StatusCommand extends ClientCommand implements Callable<Integer> {
  @Option(names = "--json", description = "Print one JSON object instead of the table.")
  boolean json;

  @Override
  public Integer call() {
    try (QueueClient client = QueueClient.connect(loadConfig())) {
      Map<String, QueueDepth> depths = depths(client);
      if (json) {
        out().println(toJson(client.endpoint(), depths).encode());
      } else {
        printTable(client.endpoint(), depths);
      }
      out().flush();
      return 0;
    }
  }

  private static Map<String, QueueDepth> depths(QueueClient client) {
    QueueUrls q = client.queues();
    var sqs = client.clients().operations();
    var tasks = QueueDepth.fetch(sqs, q.tasks());
    var results = QueueDepth.fetch(sqs, q.results());
    var dlq = QueueDepth.fetch(sqs, q.dlq());
    var batch = q.batchResults() == null ? null : QueueDepth.fetch(sqs, q.batchResults());
    Map<String, QueueDepth> depths = new LinkedHashMap<>();
    depths.put("tasks", tasks.join());
    depths.put("results", results.join());
    depths.put("dlq", dlq.join());
    if (batch != null) {
      depths.put("batch", batch.join());
    }
    return depths;
  }

  static JsonObject toJson(String endpoint, Map<String, QueueDepth> depths) {
    JsonObject queues = new JsonObject();
    depths.forEach((role, depth) -> queues.put(role, depth.toJson().put("name", name(depth.url()))));
    return new JsonObject().put("endpoint", endpoint).put("queues", queues);
  }

  private void printTable(String endpoint, Map<String, QueueDepth> depths) {
    out().println("SQS: " + endpoint);
    int width = Math.max(5, depths.values().stream().mapToInt(d -> name(d.url()).length()).max().orElse(5));
    String format = "%-8s %-" + width + "s %,12d %,12d %,12d%n";
    out().printf(Locale.ROOT, "%-8s %-" + width + "s %12s %12s %12s%n", "queue", "name", "visible", "in flight",
        "delayed");
    depths.forEach((role, d) -> out().printf(Locale.ROOT, format, role, name(d.url()), d.visible(), d.inFlight(),
        d.delayed()));
  }

  /** The queue's name: the last segment of its URL. */
  static String name(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }
}
