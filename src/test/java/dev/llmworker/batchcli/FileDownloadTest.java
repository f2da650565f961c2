package dev.llmworker.batchcli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDownloadTest {
  @TempDir
  Path dir;

  private List<Path> files() throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.sorted().toList();
    }
  }

  @Test
  @DisplayName("a committed download replaces the target in one rename and counts its lines; nothing else is left")
  void commit() throws IOException {
    Path target = dir.resolve("out.jsonl");
    Files.writeString(target, "old\n");
    try (FileDownload download = FileDownload.to(target)) {
      Path temp = files().stream().filter(p -> p.getFileName().toString().endsWith(".part")).findFirst()
          .orElseThrow();
      Files.writeString(temp, "a\nb\nc");
      assertEquals("old\n", Files.readString(target), "the target changed before the commit");
      assertEquals(3, download.commit());
    }
    assertEquals("a\nb\nc", Files.readString(target));
    assertEquals(List.of(target), files());
  }

  @Test
  @DisplayName("an abandoned download leaves the target as it was and removes its temporary file")
  void abandoned() throws IOException {
    Path target = dir.resolve("out.jsonl");
    try (FileDownload download = FileDownload.to(target)) {
      assertEquals(1, files().size());
    }
    assertFalse(Files.exists(target));
    assertEquals(List.of(), files());
  }

  @Test
  @DisplayName("lines: line feeds, plus one for an unterminated last line; an empty file has none")
  void lines() throws IOException {
    Path f = dir.resolve("f");
    Files.writeString(f, "");
    assertEquals(0, FileDownload.lines(f));
    Files.writeString(f, "x\ny\n");
    assertEquals(2, FileDownload.lines(f));
    Files.writeString(f, "x\ny");
    assertEquals(2, FileDownload.lines(f));
  }
}
