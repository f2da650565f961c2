package dev.llmworker.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The non-blank lines of a JSONL file, one at a time, decoded as strict UTF-8. Memory stays bounded whatever
 * the file: a line longer than the message limit is skipped to its end and reported, not buffered, and bad
 * UTF-8 spoils only its own line. Line ends are {@code \n} or {@code \r\n}; a UTF-8 byte order mark at the start
 * of the file is not part of the first line.
 */
public final class InputLines implements Closeable {
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final InputStream in;
  private final MessageLimit limit;
  private final int maxLineBytes;
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] chunk = new byte[1 << 16];
  private int chunkPos;
  private int chunkEnd;
  private byte[] line = new byte[8192];
  private long number;
  private long bytesRead;
  private boolean atStart = true;

  /**
   * One line: its text, or, when it cannot be read as text, {@code problemCode} and {@code problem}.
   *
   * @param bytes the line's length in bytes without its line end
   */
  public record Line(long number, String text, long bytes, String problemCode, String problem) {
    public boolean readable() {
      return text != null;
    }
  }

  public InputLines(InputStream in, MessageLimit limit) {
    this.in = in;
    this.limit = limit;
    this.maxLineBytes = limit.bytes();
  }

  /** The next non-blank line, or null at the end of the input. */
  public Line next() throws IOException {
    while (true) {
      Line next = readLine();
      if (next == null || !next.readable() || !next.text().isBlank()) {
        return next;
      }
    }
  }

  /** Bytes consumed so far, line ends included: how far through the file we are. */
  public long bytesRead() {
    return bytesRead;
  }

  private Line readLine() throws IOException {
    // room for the longest acceptable line plus a \r before its \n and a byte order mark
    int keep = maxLineBytes + 4;
    int length = 0;
    long total = 0;
    boolean ended = false;
    while (!ended) {
      if (chunkPos == chunkEnd && !fill()) {
        break;
      }
      int from = chunkPos;
      int to = from;
      while (to < chunkEnd && chunk[to] != '\n') {
        to++;
      }
      ended = to < chunkEnd;
      chunkPos = ended ? to + 1 : to;
      bytesRead += chunkPos - from;
      int n = to - from;
      total += n;
      int kept = Math.min(n, keep - length);
      if (kept > 0) {
        ensure(length + kept);
        System.arraycopy(chunk, from, line, length, kept);
        length += kept;
      }
    }
    if (!ended && total == 0) {
      return null;
    }
    number++;
    int start = 0;
    if (atStart) {
      atStart = false;
      if (length >= 3 && Arrays.equals(line, 0, 3, BOM, 0, 3)) {
        start = 3;
        length -= 3;
        total -= 3;
      }
    }
    if (total == length && length > 0 && line[start + length - 1] == '\r') {
      length--;
      total--;
    }
    if (total > maxLineBytes) {
      return new Line(number, null, total, "too_large", limit.tooLarge(total, ""));
    }
    return decode(start, length);
  }

  private boolean fill() throws IOException {
    int n = in.read(chunk);
    chunkPos = 0;
    chunkEnd = Math.max(n, 0);
    return n > 0;
  }

  private void ensure(int size) {
    if (size > line.length) {
      line = Arrays.copyOf(line, Math.max(size, Math.min(line.length * 2, maxLineBytes + 4)));
    }
  }

  private Line decode(int start, int length) {
    ByteBuffer bytes = ByteBuffer.wrap(line, start, length);
    try {
      CharBuffer chars = utf8.reset().decode(bytes);
      return new Line(number, chars.toString(), length, null, null);
    } catch (CharacterCodingException e) {
      int at = firstBadByte(start, length);
      return new Line(number, null, length, "invalid_utf8", "not valid UTF-8: byte 0x"
          + HexFormat.of().withUpperCase().toHexDigits(line[start + at]) + " at byte " + (at + 1) + " of the line");
    }
  }

  /** Offset of the first byte the strict decoder refuses, for a message a person can act on. */
  private int firstBadByte(int start, int length) {
    ByteBuffer bytes = ByteBuffer.wrap(line, start, length);
    CharBuffer out = CharBuffer.allocate(length);
    utf8.reset().decode(bytes, out, true);
    return bytes.position() - start;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
