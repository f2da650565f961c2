package dev.llmworker.client;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * Progress of a long command on stderr: a bar redrawn in place on a terminal, a plain line every few seconds
 * otherwise (logs, CI). The rate is over the last ten seconds; the ETA follows from the done fraction.
 */
public final class Progress {
  private static final long REDRAW_MS = 200;
  private static final long PLAIN_EVERY_MS = 5_000;
  private static final long RATE_WINDOW_MS = 10_000;
  private static final int BAR = 24;

  private final PrintWriter out;
  private final String label;
  private final boolean tty;
  private final long everyMs;
  private final long startedMs = System.currentTimeMillis();
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();
  private long shownMs;
  private boolean barShown;

  public Progress(PrintStream out, String label) {
    this(new PrintWriter(out, true), label);
  }

  public Progress(PrintWriter out, String label) {
    this(out, label, System.console() != null, PLAIN_EVERY_MS);
  }

  Progress(PrintWriter out, String label, boolean tty, long plainEveryMs) {
    this.out = out;
    this.label = label;
    this.tty = tty;
    this.everyMs = tty ? REDRAW_MS : plainEveryMs;
  }

  /**
   * @param done     items done so far (lines, results)
   * @param fraction share of the whole work done, 0..1; negative when unknown (no bar, no ETA)
   * @param detail   what else to say ("12 rejected"); may be empty
   */
  public synchronized void update(long done, double fraction, String detail) {
    update(done, fraction, detail, null);
  }

  /**
   * {@link #update(long, double, String)} with the total, rate and ETA someone else measured (a server that sees the
   * whole job, not only since this command started); null = measure here.
   */
  public synchronized void update(long done, double fraction, String detail, Figures known) {
    long now = System.currentTimeMillis();
    samples.addLast(new long[] {now, done});
    while (samples.size() > 2 && now - samples.peekFirst()[0] > RATE_WINDOW_MS) {
      samples.removeFirst();
    }
    if (now - shownMs < everyMs) {
      return;
    }
    shownMs = now;
    String line = line(done, fraction, detail, now, known);
    if (tty) {
      out.print("\r" + line + "\u001b[K");
      barShown = true;
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** A line of its own (a rejected input line, a warning), without garbling the bar. */
  public synchronized void println(String message) {
    clearBar();
    out.println(message);
    out.flush();
    shownMs = 0;
  }

  /** Removes the bar; the command prints its summary next. */
  public synchronized void finish() {
    clearBar();
    out.flush();
  }

  public long elapsedMs() {
    return System.currentTimeMillis() - startedMs;
  }

  private void clearBar() {
    if (barShown) {
      out.print("\r\u001b[K");
      barShown = false;
    }
  }

  String line(long done, double fraction, String detail, long now) {
    return line(done, fraction, detail, now, null);
  }

  String line(long done, double fraction, String detail, long now, Figures known) {
    StringBuilder s = new StringBuilder(label).append(' ');
    if (fraction >= 0) {
      double f = Math.min(1, fraction);
      if (tty) {
        int filled = (int) Math.round(f * BAR);
        s.append('[').append("#".repeat(filled)).append("-".repeat(BAR - filled)).append("] ");
      }
      s.append(String.format(Locale.ROOT, "%3d%% ", (int) Math.floor(f * 100)));
    }
    s.append(String.format(Locale.ROOT, "%,d", done));
    if (known != null && known.total() >= 0) {
      s.append(String.format(Locale.ROOT, "/%,d", known.total()));
    }
    double rate = known != null ? known.perSecond() : rate();
    s.append(String.format(Locale.ROOT, rate > 0 && rate < 10 ? "  %.1f/s" : "  %,.0f/s", rate));
    if (known != null) {
      if (known.etaSeconds() >= 0 && fraction < 1) {
        s.append("  ETA ").append(clock(known.etaSeconds()));
      }
    } else if (fraction > 0 && fraction < 1) {
      double elapsed = (now - startedMs) / 1000.0;
      s.append("  ETA ").append(clock((long) (elapsed * (1 - fraction) / fraction)));
    }
    if (detail != null && !detail.isEmpty()) {
      s.append("  ").append(detail);
    }
    return s.toString();
  }

  private double rate() {
    if (samples.size() < 2) {
      return 0;
    }
    long[] first = samples.peekFirst();
    long[] last = samples.peekLast();
    long ms = last[0] - first[0];
    return ms <= 0 ? 0 : (last[1] - first[1]) * 1000.0 / ms;
  }

  /** Figures measured elsewhere: the total and the seconds left (negative: unknown), the rate per second. */
  public record Figures(long total, double perSecond, long etaSeconds) {}

  /** 0:07, 12:34, 1:02:03. */
  public static String clock(long seconds) {
    long h = seconds / 3600;
    long m = seconds / 60 % 60;
    long s = seconds % 60;
    return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
  }
}
