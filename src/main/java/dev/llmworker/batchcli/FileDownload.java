package dev.llmworker.batchcli;

import dev.llmworker.client.ClientException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A download that lands in a temporary file beside its target and is renamed over it once complete and synced:
 * whatever stops it (an error, Ctrl-C, a crash), the target name never holds half a file.
 */
final class FileDownload implements AutoCloseable {
  private final Path target;
  private final Path temp;
  private boolean committed;

  private FileDownload(Path target, Path temp) {
    this.target = target;
    this.temp = temp;
  }

  static FileDownload to(Path target) {
    Path dir = target.toAbsolutePath().getParent();
    try {
      return new FileDownload(target, Files.createTempFile(dir, "." + target.getFileName() + ".", ".part"));
    } catch (IOException e) {
      throw new ClientException("cannot write into " + dir + ": " + e);
    }
  }

  /** A 200 answer's body goes to the temporary file (the result is null); any other answer's body is returned. */
  BodyHandler<String> handler() {
    return info -> info.statusCode() == 200 ? BodySubscribers.mapping(BodySubscribers.ofFile(temp), p -> null)
        : BodySubscribers.ofString(StandardCharsets.UTF_8);
  }

  /** Syncs the temporary file, renames it to the target and returns how many lines it has. */
  long commit() {
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      committed = true;
      return lines(target);
    } catch (IOException e) {
      throw new ClientException("cannot write " + target + ": " + e);
    }
  }

  /** Lines in a file: its line feeds, plus one for a last line without one. */
  static long lines(Path file) throws IOException {
    long lines = 0;
    int last = '\n';
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            lines++;
          }
        }
        last = buffer[n - 1];
      }
    }
    return last == '\n' ? lines : lines + 1;
  }

  /** Removes the temporary file unless it became the target. */
  @Override
  public void close() {
    if (!committed) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // a leftover .part file is harmless; the target is untouched either way
      }
    }
  }
}
