package dev.llmworker.client;

import dev.llmworker.sqs.QueueDepth;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;

/** What {@code results} tells the user at the end: the summary on stdout, hints and warnings on stderr. */
final class ResultsReport {
  private final PrintWriter stdout;
  private final PrintWriter stderr;
  private final Path results;
  private final Path errors;

  ResultsReport(PrintWriter stdout, PrintWriter stderr, Path results, Path errors) {
    this.stdout = stdout;
    this.stderr = stderr;
    this.results = results;
    this.errors = errors;
  }

  void summary(ResultRouter.Tally tally, long elapsedMs) {
    stdout.println("wrote " + tally.results + " results to " + results + " (" + tally.errors + " errors to "
        + errors + "), skipped " + tally.duplicates + " duplicates, in " + ResultsCommand.seconds(elapsedMs) + " s");
    if (tally.recovered > 0) {
      stdout.println("  " + tally.recovered + " of the results had failed before (they are in " + errors
          + ") and have now succeeded");
    }
    if (tally.unreadable > 0) {
      stdout.println("  " + tally.unreadable + " of the errors are unreadable messages (error code "
          + ResultLineReader.UNREADABLE + ", the body under llmw.raw_body)");
    }
    stdout.flush();
  }

  void undeleted(ResultDeleter deleter) {
    if (deleter.undeleted() > 0) {
      stderr.println("llm-worker: " + deleter.undeleted() + " messages could not be deleted from the results "
          + "queue (" + deleter.lastFailure() + "): they come again and the next run skips them as duplicates");
      stderr.flush();
    }
  }

  /** Results that will come later: tasks not done yet, and results another consumer holds. */
  void pending(QueueClient client) {
    try {
      QueueDepth tasks = QueueDepth.fetch(client.clients().operations(), client.queues().tasks()).join();
      QueueDepth left = QueueDepth.fetch(client.clients().operations(), client.queues().results()).join();
      if (tasks.total() > 0) {
        stderr.println("the tasks queue still has " + (tasks.visible() + tasks.delayed()) + " tasks waiting and "
            + tasks.inFlight() + " running: their results come later (use --follow)");
      }
      if (left.inFlight() > 0) {
        stderr.println(left.inFlight() + " results are in flight, received by another consumer (or by an "
            + "interrupted run, until their visibility timeout passes): run again later to get them");
      }
    } catch (CompletionException e) {
      // only hints: the results are written
    }
    stderr.flush();
  }
}
