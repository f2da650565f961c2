package dev.llmworker.batchcli;

import dev.llmworker.client.ClientException;
import dev.llmworker.task.Endpoint;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "create", mixinStandardHelpOptions = true,
    description = {"Upload a batch input file (OpenAI Batch API lines) and start a batch on it. Prints the batch id "
        + "alone on standard output; everything else goes to standard error.",
        "With --wait: follows the batch with a progress bar, then downloads its output and error files. Exit 0 when "
            + "the batch completed; 1 when it failed (its errors are printed as line N: code: message), expired or "
            + "was cancelled; 130 when Ctrl-C / SIGTERM stopped the waiting (the batch goes on)."})
final class BatchCreateCommand extends ApiCommand {
  static final Duration POLL_EVERY = Duration.ofSeconds(1);

  @Parameters(index = "0", paramLabel = "FILE.jsonl", description = "The batch input file, uploaded as it is "
      + "(streamed from disk).")
  Path file;

  @Option(names = "--endpoint", required = true, paramLabel = "PATH",
      description = "The endpoint every line calls: /v1/chat/completions, /v1/responses, /v1/embeddings, "
          + "/v1/completions or /v1/moderations.")
  String endpoint;

  @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "Metadata kept with the batch; repeatable.")
  Map<String, String> metadata = new LinkedHashMap<>();

  @Option(names = "--wait", description = "Follow the batch until it ends, then download its files.")
  boolean await;

  @Option(names = "--out", paramLabel = "FILE.jsonl", description = "With --wait: where the output file goes "
      + "(default: the input's name with .output.jsonl, in.jsonl -> in.output.jsonl).")
  Path out;

  @Option(names = "--errors", paramLabel = "FILE.jsonl", description = "With --wait: where the error file goes "
      + "(default: in.jsonl -> in.errors.jsonl).")
  Path errors;

  @Override
  int run() throws InterruptedException {
    String url = checkedEndpoint();
    checkFile();
    if (!await && (out != null || errors != null)) {
      throw new UsageProblem("--out and --errors go with --wait; without it, download later with "
          + "llm-worker batch download ID");
    }
    DownloadTargets targets = await ? DownloadTargets.besideInput(file, out, errors) : null;
    BatchApi api = connect();
    BatchObject batch = start(api, url);
    out().println(batch.id());
    out().flush();
    if (!await) {
      say("follow it with: llm-worker batch get " + batch.id());
      return 0;
    }
    return new BatchFollower(api, err(), POLL_EVERY).follow(batch.id(), targets);
  }

  /** Uploads the file and creates the batch; a batch refused by the API takes its uploaded file with it. */
  private BatchObject start(BatchApi api, String url) throws InterruptedException {
    JsonObject uploaded = api.upload(file);
    String fileId = uploaded.getString("id");
    say(String.format(Locale.ROOT, "uploaded %s (%,d bytes) as %s", file, uploaded.getLong("bytes", 0L), fileId));
    try {
      BatchObject batch = api.create(fileId, url, metadata);
      say("created batch " + batch.id() + " (" + batch.statusText() + ") on " + api.target().base());
      return batch;
    } catch (ClientException | Unreachable e) {
      try {
        api.deleteFile(fileId);
        say("no batch was created; removed the uploaded file " + fileId);
      } catch (ClientException | Unreachable cleanup) {
        say("note: the uploaded file " + fileId + " is left on the node: " + cleanup.getMessage());
      }
      throw e;
    }
  }

  private String checkedEndpoint() {
    Endpoint e = Endpoint.of(endpoint);
    if (e == null) {
      throw new UsageProblem("--endpoint: expected one of " + String.join(", ", Endpoint.urls()) + ", got \""
          + endpoint + "\"");
    }
    return e.url;
  }

  private void checkFile() {
    if (!Files.exists(file)) {
      throw new UsageProblem(file + ": no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new UsageProblem(file + ": not a regular file");
    }
    if (!Files.isReadable(file)) {
      throw new UsageProblem(file + ": cannot be read (permissions)");
    }
  }

  private void say(String line) {
    PrintWriter err = err();
    err.println(line);
    err.flush();
  }
}
