package dev.llmworker.batchcli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Downloads what a batch has produced, its output file and its error file, each only when it exists. */
final class BatchFiles {
  /** A file written: which of the two, where, and how many lines. */
  record Written(String what, Path path, long lines) {
    String describe() {
      return "wrote " + what + " " + path + " (" + String.format(Locale.ROOT, "%,d", lines) + " lines)";
    }
  }

  private final BatchApi api;

  BatchFiles(BatchApi api) {
    this.api = api;
  }

  /** An empty list when the batch has neither file (yet). */
  List<Written> download(BatchObject batch, DownloadTargets targets) throws InterruptedException {
    List<Written> written = new ArrayList<>();
    if (batch.outputFileId() != null) {
      written.add(new Written("output", targets.output(), api.download(batch.outputFileId(), targets.output())));
    }
    if (batch.errorFileId() != null) {
      written.add(new Written("errors", targets.errors(), api.download(batch.errorFileId(), targets.errors())));
    }
    return written;
  }

  /** What is missing and why, for a batch that has ended; null when both files were there. */
  static String missing(BatchObject batch) {
    if (batch.outputFileId() == null && batch.errorFileId() == null) {
      return "no output or error file";
    }
    if (batch.outputFileId() == null) {
      return "no output file (no request succeeded)";
    }
    if (batch.errorFileId() == null) {
      return "no error file (no request failed)";
    }
    return null;
  }
}
