package dev.llmworker.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BiConsumer;

/**
 * A JSONL file that result lines are appended to and forced to disk before their messages are deleted. Opening
 * it repairs what an interrupted run can leave behind: a last line without its newline.
 */
public final class ResultsFile implements AutoCloseable {
  private static final int TAIL_CHUNK = 64 * 1024;

  private final Path path;
  private final FileChannel channel;
  private final long removedBytes;

  private ResultsFile(Path path, FileChannel channel, long removedBytes) {
    this.path = path;
    this.channel = channel;
    this.removedBytes = removedBytes;
  }

  /**
   * Opens (creating if need be) for appending, cutting off a torn last line; a {@link ClientException} if not
   * writable.
   */
  public static ResultsFile open(Path path) {
    if (Files.exists(path) && !Files.isRegularFile(path)) {
      // a directory, a device or a pipe: none can be repaired, read back and appended to
      throw new ClientException("cannot open " + path + ": not a regular file");
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      lock(channel, path);
      long removed = cutTornTail(channel);
      channel.position(channel.size());
      // what an earlier run wrote may still be in the page cache only; its messages may already be deleted
      channel.force(true);
      return new ResultsFile(path, channel, removed);
    } catch (IOException e) {
      closeQuietly(channel);
      throw cannot("open", path, e);
    } catch (ClientException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /** Bytes of an incomplete last line removed at open (0 when the file ended with a newline). */
  long removedBytes() {
    return removedBytes;
  }

  Path path() {
    return path;
  }

  /**
   * Streams the file's lines to {@code line} (line number from 1, text), without holding the file in memory.
   * Bytes that are not UTF-8 are read as U+FFFD rather than failing.
   */
  void forEachLine(BiConsumer<Integer, String> line) {
    try {
      channel.position(0);
      BufferedReader reader = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
          StandardCharsets.UTF_8), TAIL_CHUNK);
      String text;
      int number = 0;
      while ((text = reader.readLine()) != null) {
        line.accept(++number, text);
      }
      // the reader is not closed: that would close the channel this file keeps writing to
      channel.position(channel.size());
    } catch (IOException e) {
      throw cannot("read", path, e);
    }
  }

  /** Appends whole lines (each ending in '\n'); not durable until {@link #force()}. */
  public void append(byte[] lines) {
    ByteBuffer buffer = ByteBuffer.wrap(lines);
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      throw cannot("write", path, e);
    }
  }

  /** Waits until everything appended is on disk: only then may the lines' messages be deleted. */
  public void force() {
    try {
      channel.force(false);
    } catch (IOException e) {
      throw cannot("write", path, e);
    }
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  /** Two runs writing one file would overwrite each other's lines: the second is refused. */
  private static void lock(FileChannel channel, Path path) throws IOException {
    boolean locked;
    try {
      locked = channel.tryLock() != null;
    } catch (OverlappingFileLockException e) {
      locked = false;
    }
    if (!locked) {
      throw new ClientException(path + " is being written by another `llm-worker results` (or is both --out and "
          + "--errors): let that one finish, or write to another file");
    }
  }

  /** Truncates the file after its last '\n'; returns the bytes removed. */
  private static long cutTornTail(FileChannel channel) throws IOException {
    long size = channel.size();
    if (size == 0 || lastByte(channel, size) == '\n') {
      return 0;
    }
    long end = size;
    ByteBuffer chunk = ByteBuffer.allocate(TAIL_CHUNK);
    while (end > 0) {
      long start = Math.max(0, end - TAIL_CHUNK);
      chunk.clear().limit((int) (end - start));
      readFully(channel, chunk, start);
      for (int i = chunk.limit() - 1; i >= 0; i--) {
        if (chunk.get(i) == '\n') {
          channel.truncate(start + i + 1);
          return size - (start + i + 1);
        }
      }
      end = start;
    }
    channel.truncate(0);
    return size;
  }

  private static byte lastByte(FileChannel channel, long size) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    readFully(channel, one, size - 1);
    return one.get(0);
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new IOException("file shrank while being read");
      }
      at += n;
    }
  }

  private static ClientException cannot(String what, Path path, IOException e) {
    String reason;
    if (e instanceof AccessDeniedException) {
      reason = "permission denied";
    } else if (e instanceof NoSuchFileException) {
      reason = "no such directory";
    } else {
      reason = e.getMessage() == null ? e.toString() : e.getMessage().replace(path + ": ", "");
    }
    return new ClientException("cannot " + what + " " + path + ": " + reason);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing more to do with it
    }
  }
}
