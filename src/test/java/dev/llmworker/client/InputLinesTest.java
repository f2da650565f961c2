package dev.llmworker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InputLinesTest {
  private static final MessageLimit LIMIT = new MessageLimit(1024, "sqs.maxMessageBytes");

  private static List<InputLines.Line> read(InputStream in) throws IOException {
    List<InputLines.Line> lines = new ArrayList<>();
    try (InputLines input = new InputLines(in, LIMIT)) {
      for (InputLines.Line line = input.next(); line != null; line = input.next()) {
        lines.add(line);
      }
    }
    return lines;
  }

  private static List<InputLines.Line> read(byte[] bytes) throws IOException {
    return read(new ByteArrayInputStream(bytes));
  }

  @Test
  @DisplayName("line numbers count blank lines, which are skipped; \\r\\n, a byte order mark and a last line "
      + "without an end are handled")
  void lineEnds() throws IOException {
    byte[] bytes = "\uFEFF{\"a\":1}\r\n\n  \r\n{\"b\":\"é\"}\n\t\n{\"c\":3}".getBytes(StandardCharsets.UTF_8);

    List<InputLines.Line> lines = read(bytes);

    assertEquals(List.of(1L, 4L, 6L), lines.stream().map(InputLines.Line::number).toList());
    assertEquals(List.of("{\"a\":1}", "{\"b\":\"é\"}", "{\"c\":3}"),
        lines.stream().map(InputLines.Line::text).toList());
    assertEquals(10, lines.get(1).bytes(), "UTF-8 bytes of the line without its end");
  }

  @Test
  @DisplayName("bad UTF-8 spoils only its own line, and the message says where")
  void badUtf8() throws IOException {
    byte[] bytes = "{\"x\":\"caf\u00e9\"}\n{\"y\":2}\n".getBytes(StandardCharsets.ISO_8859_1);

    List<InputLines.Line> lines = read(bytes);

    assertEquals(2, lines.size());
    assertNull(lines.get(0).text());
    assertEquals("invalid_utf8", lines.get(0).problemCode());
    assertEquals("not valid UTF-8: byte 0xE9 at byte 10 of the line", lines.get(0).problem());
    assertEquals("{\"y\":2}", lines.get(1).text());
  }

  @Test
  @DisplayName("a line far over the limit is measured and skipped without being held in memory")
  void hugeLine() throws IOException {
    long huge = 3L << 30; // 3 GiB of one line, made on the fly: no Java array could even hold it
    InputStream in = new InputStream() {
      long left = huge;
      boolean tailSent;
      final byte[] tail = "\n{\"next\":true}\n".getBytes(StandardCharsets.UTF_8);
      int tailAt;

      @Override
      public int read() {
        throw new UnsupportedOperationException("reads in chunks");
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left > 0) {
          int n = (int) Math.min(len, left);
          java.util.Arrays.fill(b, off, off + n, (byte) 'x');
          left -= n;
          return n;
        }
        if (tailAt < tail.length) {
          int n = Math.min(len, tail.length - tailAt);
          System.arraycopy(tail, tailAt, b, off, n);
          tailAt += n;
          return n;
        }
        return -1;
      }
    };

    List<InputLines.Line> lines = read(in);

    assertEquals("too_large", lines.get(0).problemCode());
    assertEquals(huge, lines.get(0).bytes());
    assertTrue(lines.get(0).problem().startsWith("3,221,225,472 bytes; an SQS message may have at most 1,024"),
        lines.get(0).problem());
    assertEquals("{\"next\":true}", lines.get(1).text());
    assertEquals(2, lines.get(1).number());
  }

  @Test
  @DisplayName("a line exactly at the limit is kept, one byte more is too large")
  void atTheLimit() throws IOException {
    String exact = "x".repeat(1024);
    List<InputLines.Line> lines = read((exact + "\r\n" + exact + "y\n").getBytes(StandardCharsets.UTF_8));

    assertEquals(exact, lines.get(0).text());
    assertEquals("too_large", lines.get(1).problemCode());
    assertEquals(1025, lines.get(1).bytes());
  }
}
