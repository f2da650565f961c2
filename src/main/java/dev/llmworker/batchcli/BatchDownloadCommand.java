package dev.llmworker.batchcli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "download", mixinStandardHelpOptions = true,
    description = "Download a batch's output file and error file (each written to a temporary file, then renamed: "
        + "never half a file under the final name). Exit 1 when the batch has neither yet.")
final class BatchDownloadCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The batch id (batch_...).")
  String id;

  @Option(names = "--out", paramLabel = "FILE.jsonl", description = "Where the output file goes (default: "
      + "ID.output.jsonl).")
  Path output;

  @Option(names = "--errors", paramLabel = "FILE.jsonl", description = "Where the error file goes (default: "
      + "ID.errors.jsonl).")
  Path errors;

  @Override
  int run() throws InterruptedException {
    DownloadTargets targets = DownloadTargets.forBatch(id, output, errors);
    BatchApi api = connect();
    BatchObject batch = api.get(id);
    List<BatchFiles.Written> written = new BatchFiles(api).download(batch, targets);
    if (written.isEmpty()) {
      BatchObject.Counts c = batch.counts();
      err().println(String.format(Locale.ROOT, "batch %s is %s: no output yet (%,d of %,d requests done)%s", id,
          batch.statusText(), batch.done(), c.total(), batch.status().ended() ? ""
              : "; see how it is doing with llm-worker batch get " + id));
      ErrorLines.of(batch.errors()).forEach(err()::println);
      err().flush();
      return 1;
    }
    written.forEach(w -> out().println(w.describe()));
    String missing = BatchFiles.missing(batch);
    if (missing != null) {
      out().println(missing);
    }
    out().flush();
    return 0;
  }
}
