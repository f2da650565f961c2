package dev.llmworker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  @DisplayName("on a terminal: a bar redrawn in place with percentage, count, rate and ETA; println clears it first")
  void terminalBar() {
    StringWriter text = new StringWriter();
    Progress progress = new Progress(new PrintWriter(text, true), "submit", true, 0);
    progress.update(2_500, 0.25, "3 rejected");
    String shown = text.toString();
    assertTrue(shown.startsWith("\rsubmit [######------------------]  25% 2,500"), shown);
    assertTrue(shown.contains("ETA "), shown);
    assertTrue(shown.contains("3 rejected"), shown);
    assertFalse(shown.contains("\n"), "a bar must not scroll: " + shown);
    progress.println("line 7: invalid_json: …");
    assertTrue(text.toString().endsWith("\r\u001b[Kline 7: invalid_json: …" + System.lineSeparator()),
        text.toString());
  }

  @Test
  @DisplayName("not on a terminal: plain lines, no escape codes, no more often than the interval")
  void plainLines() {
    StringWriter text = new StringWriter();
    Progress progress = new Progress(new PrintWriter(text, true), "results", false, 60_000);
    progress.update(10, -1, "");
    progress.update(20, -1, "");
    progress.update(30, -1, "");
    String shown = text.toString();
    assertEquals(1, shown.lines().count(), shown);
    assertTrue(shown.startsWith("results 10  "), shown);
    assertFalse(shown.contains("\u001b") || shown.contains("\r") || shown.contains("ETA"), shown);
  }

  @Test
  @DisplayName("with figures measured elsewhere (a node's batch): done/total, their rate and their ETA, none of "
      + "this command's own")
  void knownFigures() {
    Progress progress = new Progress(new PrintWriter(new StringWriter(), true), "batch", false, 0);
    String line = progress.line(50, 0.25, "in_progress", System.currentTimeMillis(),
        new Progress.Figures(200, 2.5, 60));
    assertEquals("batch  25% 50/200  2.5/s  ETA 1:00  in_progress", line);
    assertEquals("batch  25% 50/200  0/s  x", progress.line(50, 0.25, "x", System.currentTimeMillis(),
        new Progress.Figures(200, 0, -1)));
  }

  @Test
  @DisplayName("ETA and durations read as m:ss or h:mm:ss")
  void clock() {
    assertEquals("0:07", Progress.clock(7));
    assertEquals("12:34", Progress.clock(754));
    assertEquals("1:02:03", Progress.clock(3723));
  }
}
