package dev.llmworker.client;

import dev.llmworker.app.LlmwConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "results", mixinStandardHelpOptions = true,
    description = {"Drain the results queue into JSONL files: successes to --out, failures to --errors, each "
        + "custom_id once (also across runs appending to the same files). A message is deleted from the queue "
        + "only after its line is on disk (fsync). Ends when the queue is empty, or with --follow on Ctrl-C / "
        + "SIGTERM."})
public final class ResultsCommand extends ClientCommand implements Callable<Integer> {
  /** Long polls at once: enough to keep the writer busy, few enough to leave connections for deletes. */
  private static final int POLLERS = 4;
  /** Without --follow a short wait: the command ends after two empty rounds, not after two 20 s waits. */
  private static final int DRAIN_WAIT_SECONDS = 2;

  @Option(names = "--out", paramLabel = "FILE.jsonl", required = true,
      description = "Results file: one line per successful task (created, or appended to).")
  Path out;

  @Option(names = "--errors", paramLabel = "FILE.jsonl",
      description = "Errors file: one line per failed task (error set, or HTTP status >= 400). Default: the "
          + "--out name with .errors before its extension (results.jsonl -> results.errors.jsonl).")
  Path errors;

  @Option(names = "--follow", description = "Keep waiting for new results; Ctrl-C / SIGTERM writes, syncs and "
      + "deletes the batch in hand, then exits 0.")
  boolean follow;

  @Override
  public Integer call() {
    Path errorsPath = errors != null ? errors : defaultErrorsFile(out);
    if (errorsPath.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
      throw new ParameterException(spec.commandLine(), "--errors must name another file than --out (" + out + ")");
    }
    PrintWriter stdout = out();
    PrintWriter stderr = err();
    LlmwConfig cfg = loadConfig();
    ResultRouter router = new ResultRouter();
    try (ResultsFile results = open(out, router, false, stderr);
        ResultsFile failures = open(errorsPath, router, true, stderr);
        QueueClient client = QueueClient.connect(cfg)) {
      ResultsDrain drain = drain(cfg, client, router, results, failures);
      stderr.println("results: receiving from " + client.queues().results() + " into " + out + " (errors into "
          + errorsPath + ")" + (follow ? "; following until Ctrl-C / SIGTERM" : ""));
      stderr.flush();
      ResultsReport report = new ResultsReport(stdout, stderr, out, errorsPath);
      long startedMs = System.currentTimeMillis();
      ResultRouter.Tally tally;
      try (StopSignals signals = StopSignals.install(drain::stop, "stopping: writing, syncing and deleting the "
          + "results in hand.", stderr)) {
        tally = drain.run();
      } catch (RuntimeException e) {
        report.summary(router.tally(), System.currentTimeMillis() - startedMs);
        throw e;
      }
      report.summary(tally, System.currentTimeMillis() - startedMs);
      report.undeleted(drain.deleter());
      if (!follow) {
        report.pending(client);
      }
      return 0;
    }
  }

  private ResultsDrain drain(LlmwConfig cfg, QueueClient client, ResultRouter router, ResultsFile results,
      ResultsFile failures) {
    String queueUrl = client.queues().results();
    int wait = follow ? Math.max(1, cfg.sqs().waitTimeSeconds()) : Math.min(DRAIN_WAIT_SECONDS,
        cfg.sqs().waitTimeSeconds());
    Progress progress = new Progress(err(), "results");
    ResultReceivers receivers = new ResultReceivers(client.clients().polling(), queueUrl,
        new ResultReceivers.Settings(POLLERS, wait, cfg.sqs().visibilityTimeoutSeconds(), !follow),
        progress::println);
    ResultDeleter deleter = new ResultDeleter(client.clients().operations(), queueUrl);
    return new ResultsDrain(receivers, router, results, failures, deleter, progress,
        new ResultsDrain.LeftInQueue(client.clients().operations(), queueUrl, !follow));
  }

  /** Opens a file, repairing a torn last line, and learns the ids already in it. */
  private static ResultsFile open(Path path, ResultRouter router, boolean errorsFile, PrintWriter stderr) {
    ResultsFile file = ResultsFile.open(path);
    if (file.removedBytes() > 0) {
      stderr.println(path + ": removed an incomplete last line (" + file.removedBytes() + " bytes) left by an "
          + "interrupted run");
    }
    int notResults = errorsFile ? router.loadErrors(file) : router.loadResults(file);
    if (notResults > 0) {
      stderr.println(path + ": " + notResults + " lines are not result lines (no custom_id); kept as they are");
    }
    stderr.flush();
    return file;
  }

  /** results.jsonl -> results.errors.jsonl; a name without an extension gets .errors appended. */
  static Path defaultErrorsFile(Path out) {
    String name = out.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String errorsName = dot > 0 ? name.substring(0, dot) + ".errors" + name.substring(dot) : name + ".errors";
    return out.resolveSibling(errorsName);
  }

  static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.1f", ms / 1000.0);
  }
}
