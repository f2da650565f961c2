package dev.llmworker.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsFileTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("a file that ends mid-line is cut back to just after its last newline, and says how much it removed")
  void cutsTornLine() throws Exception {
    Path file = dir.resolve("results.jsonl");
    String whole = "{\"custom_id\":\"a\"}\n{\"custom_id\":\"b\"}\n";
    String torn = "{\"custom_id\":\"c\",\"resp";
    Files.writeString(file, whole + torn);
    try (ResultsFile results = ResultsFile.open(file)) {
      assertEquals(torn.length(), results.removedBytes());
    }
    assertEquals(whole, Files.readString(file));
  }

  @Test
  @DisplayName("a torn line longer than the 64 KiB read-back chunk is removed whole")
  void cutsLongTornLine() throws Exception {
    Path file = dir.resolve("results.jsonl");
    String whole = "{\"custom_id\":\"a\"}\n";
    String torn = "{\"custom_id\":\"b\",\"text\":\"" + "x".repeat(200_000);
    Files.writeString(file, whole + torn);
    try (ResultsFile results = ResultsFile.open(file)) {
      assertEquals(torn.length(), results.removedBytes());
    }
    assertEquals(whole, Files.readString(file));
  }

  @Test
  @DisplayName("a file whose only line is torn becomes empty")
  void onlyLineTorn() throws Exception {
    Path file = dir.resolve("results.jsonl");
    Files.writeString(file, "{\"custom_id\":\"a\"");
    try (ResultsFile results = ResultsFile.open(file)) {
      assertEquals(16, results.removedBytes());
    }
    assertEquals(0, Files.size(file));
  }

  @Test
  @DisplayName("a file that ends with a newline is kept byte for byte, and new lines go after it")
  void appendsAfterWholeLines() throws Exception {
    Path file = dir.resolve("results.jsonl");
    byte[] before = "{\"custom_id\":\"a\"}\n{\"custom_id\":\"é\"}\n".getBytes(StandardCharsets.UTF_8);
    Files.write(file, before);
    try (ResultsFile results = ResultsFile.open(file)) {
      assertEquals(0, results.removedBytes());
      List<String> read = new ArrayList<>();
      results.forEachLine((n, line) -> read.add(n + ":" + line));
      assertEquals(List.of("1:{\"custom_id\":\"a\"}", "2:{\"custom_id\":\"é\"}"), read);
      results.append("{\"custom_id\":\"c\"}\n".getBytes(StandardCharsets.UTF_8));
      results.force();
    }
    String after = Files.readString(file);
    assertArrayEquals(before, java.util.Arrays.copyOf(after.getBytes(StandardCharsets.UTF_8), before.length));
    assertTrue(after.endsWith("{\"custom_id\":\"é\"}\n{\"custom_id\":\"c\"}\n"), after);
  }

  @Test
  @DisplayName("a missing file is created empty")
  void createsMissing() throws Exception {
    Path file = dir.resolve("new.jsonl");
    try (ResultsFile results = ResultsFile.open(file)) {
      assertEquals(0, results.removedBytes());
    }
    assertTrue(Files.isRegularFile(file));
  }

  @Test
  @DisplayName("a path that cannot be written fails with a message naming it")
  void unwritable() throws Exception {
    Path inMissingDir = dir.resolve("no-such-dir").resolve("results.jsonl");
    ClientException missing = assertThrows(ClientException.class, () -> ResultsFile.open(inMissingDir));
    assertTrue(missing.getMessage().contains(inMissingDir.toString()), missing.getMessage());
    ClientException directory = assertThrows(ClientException.class, () -> ResultsFile.open(dir));
    assertTrue(directory.getMessage().startsWith("cannot open " + dir), directory.getMessage());
  }

  @Test
  @DisplayName("a file another run is writing is refused, and free again once that run closed it")
  void oneWriterAtATime() throws Exception {
    Path file = dir.resolve("results.jsonl");
    try (ResultsFile first = ResultsFile.open(file)) {
      ClientException second = assertThrows(ClientException.class, () -> ResultsFile.open(file));
      assertTrue(second.getMessage().contains("is being written by another"), second.getMessage());
    }
    ResultsFile.open(file).close();
  }
}
