package dev.llmworker.batchcli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadTargetsTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("create --wait: in.jsonl gives in.output.jsonl and in.errors.jsonl beside it; other names get the "
      + "suffix appended; --out / --errors win")
  void besideInput() {
    DownloadTargets t = DownloadTargets.besideInput(dir.resolve("in.jsonl"), null, null);
    assertEquals(dir.resolve("in.output.jsonl"), t.output());
    assertEquals(dir.resolve("in.errors.jsonl"), t.errors());
    DownloadTargets plain = DownloadTargets.besideInput(dir.resolve("requests.txt"), null, null);
    assertEquals(dir.resolve("requests.txt.output.jsonl"), plain.output());
    DownloadTargets given = DownloadTargets.besideInput(dir.resolve("in.jsonl"), dir.resolve("o.jsonl"), null);
    assertEquals(dir.resolve("o.jsonl"), given.output());
    assertEquals(dir.resolve("in.errors.jsonl"), given.errors());
  }

  @Test
  @DisplayName("download: ID.output.jsonl and ID.errors.jsonl in the working directory, the id made file-safe")
  void forBatch() {
    assertEquals(Path.of("batch_abc.output.jsonl"), DownloadTargets.forBatch("batch_abc", null, null).output());
    assertEquals(Path.of("batch_abc.errors.jsonl"), DownloadTargets.forBatch("batch_abc", null, null).errors());
    assertEquals(Path.of("_.._x.output.jsonl"), DownloadTargets.forBatch("/../x", null, null).output());
  }

  @Test
  @DisplayName("refused: output and errors the same file, either the input file, a missing directory, a directory")
  void refusals() {
    Path in = dir.resolve("in.jsonl");
    assertRefused(() -> DownloadTargets.besideInput(in, dir.resolve("x.jsonl"), dir.resolve("./x.jsonl")),
        "same file");
    assertRefused(() -> DownloadTargets.besideInput(in, in, null), "input file");
    assertRefused(() -> DownloadTargets.forBatch("b", dir.resolve("no/such/o.jsonl"), null), "does not exist");
    assertRefused(() -> DownloadTargets.forBatch("b", null, dir), "is a directory");
  }

  private static void assertRefused(org.junit.jupiter.api.function.Executable call, String why) {
    UsageProblem e = assertThrows(UsageProblem.class, call);
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }
}
