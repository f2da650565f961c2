package dev.llmworker.batchcli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where a batch's output and error files go: given with {@code --out} / {@code --errors}, or named by default. */
record DownloadTargets(Path output, Path errors) {
  /** {@code in.jsonl} gives {@code in.output.jsonl} and {@code in.errors.jsonl} beside it. */
  static DownloadTargets besideInput(Path input, Path out, Path errors) {
    String name = input.getFileName().toString();
    String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
    DownloadTargets targets = new DownloadTargets(out != null ? out : input.resolveSibling(stem + ".output.jsonl"),
        errors != null ? errors : input.resolveSibling(stem + ".errors.jsonl"));
    if (same(targets.output, input) || same(targets.errors, input)) {
      throw new UsageProblem("--out and --errors must not name the input file " + input);
    }
    return targets.checked();
  }

  /** {@code ID.output.jsonl} and {@code ID.errors.jsonl} in the working directory. */
  static DownloadTargets forBatch(String id, Path out, Path errors) {
    String stem = id.replaceAll("[^A-Za-z0-9._-]", "_");
    return new DownloadTargets(out != null ? out : Path.of(stem + ".output.jsonl"),
        errors != null ? errors : Path.of(stem + ".errors.jsonl")).checked();
  }

  private DownloadTargets checked() {
    if (same(output, errors)) {
      throw new UsageProblem("--out and --errors name the same file " + output + ": give two names");
    }
    for (Path p : new Path[] {output, errors}) {
      Path dir = p.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        throw new UsageProblem(p + ": directory " + dir + " does not exist");
      }
      if (Files.isDirectory(p)) {
        throw new UsageProblem(p + ": is a directory; name a file");
      }
    }
    return this;
  }

  private static boolean same(Path a, Path b) {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }
}
