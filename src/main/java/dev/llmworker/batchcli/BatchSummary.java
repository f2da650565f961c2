package dev.llmworker.batchcli;

import dev.llmworker.client.Progress;
import dev.llmworker.client.Terminal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code batch get}'s readable view of a batch object: status, counts, progress, time stamps, files, errors. */
final class BatchSummary {
  /** The time stamps worth a line, in the order a batch passes them. */
  private static final String[][] TIMES = {{"created_at", "created"}, {"in_progress_at", "in progress"},
      {"finalizing_at", "finalizing"}, {"completed_at", "completed"}, {"failed_at", "failed"},
      {"cancelling_at", "cancelling"}, {"cancelled_at", "cancelled"}, {"expired_at", "expired"},
      {"expires_at", "expires"}};

  private BatchSummary() {}

  static List<String> lines(BatchObject batch) {
    List<String> lines = new ArrayList<>();
    lines.add(safe(batch.id()) + "  " + safe(batch.statusText()));
    row(lines, "endpoint", safe(batch.endpoint()));
    BatchObject.Counts c = batch.counts();
    row(lines, "requests", String.format(Locale.ROOT, "%,d completed, %,d failed, %,d total", c.completed(),
        c.failed(), c.total()));
    BatchObject.Figures f = batch.figures();
    if (f != null) {
      row(lines, "progress", progress(f));
    }
    row(lines, "input file", safe(batch.inputFileId()));
    row(lines, "output file", batch.outputFileId() == null ? "-" : safe(batch.outputFileId()));
    row(lines, "error file", batch.errorFileId() == null ? "-" : safe(batch.errorFileId()));
    for (String[] t : TIMES) {
      Long at = batch.time(t[0]);
      if (at != null) {
        row(lines, t[1], Times.local(at));
      }
    }
    if (!batch.metadata().isEmpty()) {
      row(lines, "metadata", batch.metadata().entrySet().stream()
          .map(e -> safe(e.getKey()) + "=" + safe(e.getValue())).collect(Collectors.joining(", ")));
    }
    List<BatchObject.InputError> errors = batch.errors();
    if (!errors.isEmpty()) {
      lines.add("  errors");
      ErrorLines.of(errors).forEach(l -> lines.add("    " + l));
    }
    return lines;
  }

  private static String progress(BatchObject.Figures f) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%,d done, %,d prompt + %,d completion tokens",
        f.done(), f.promptTokens(), f.completionTokens()));
    if (f.costUsd() != null) {
      s.append(", ").append(BatchWait.dollars(f.costUsd()));
    }
    if (f.perSecond() > 0) {
      s.append(String.format(Locale.ROOT, ", %.1f/s", f.perSecond()));
    }
    if (f.etaSeconds() != null) {
      s.append(", ETA ").append(Progress.clock(f.etaSeconds()));
    }
    return s.toString();
  }

  private static void row(List<String> lines, String label, String value) {
    lines.add(String.format(Locale.ROOT, "  %-12s %s", label, value));
  }

  private static String safe(String text) {
    return text == null ? "-" : Terminal.safe(text, 200);
  }
}
