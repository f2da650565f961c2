package dev.llmworker.batchcli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List batches, newest first: id, status, endpoint, completed/failed/total requests, creation time.")
final class BatchListCommand extends ApiCommand {
  @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
      description = "At most N batches (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--after", paramLabel = "ID", description = "Start after this batch (the last id of a previous "
      + "page).")
  String after;

  @Option(names = "--json", description = "Print the API's list object as it came.")
  boolean json;

  @Override
  int run() throws InterruptedException {
    if (limit < 1) {
      throw new UsageProblem("--limit: expected 1 or more, got " + limit);
    }
    JsonObject page = connect().list(limit, after);
    if (json) {
      out().println(page.encode());
    } else {
      List<BatchObject> batches = batches(page);
      if (batches.isEmpty()) {
        out().println(after == null ? "no batches" : "no batches after " + after);
      } else {
        BatchTable.lines(batches).forEach(out()::println);
      }
      if (page.getValue("has_more") == Boolean.TRUE && page.getValue("last_id") != null) {
        err().println("more: llm-worker batch list --after " + page.getValue("last_id"));
      }
    }
    out().flush();
    err().flush();
    return 0;
  }

  private static List<BatchObject> batches(JsonObject page) {
    List<BatchObject> batches = new ArrayList<>();
    if (page.getValue("data") instanceof JsonArray data) {
      data.forEach(item -> {
        if (item instanceof JsonObject b) {
          batches.add(new BatchObject(b));
        }
      });
    }
    return batches;
  }
}
