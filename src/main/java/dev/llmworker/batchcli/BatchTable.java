package dev.llmworker.batchcli;

import dev.llmworker.client.Terminal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code batch list}'s table: one row per batch, newest first as the API lists them. */
final class BatchTable {
  private BatchTable() {}

  static List<String> lines(List<BatchObject> batches) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"id", "status", "endpoint", "completed/failed/total", "created"});
    for (BatchObject b : batches) {
      BatchObject.Counts c = b.counts();
      rows.add(new String[] {safe(b.id()), safe(b.statusText()), safe(b.endpoint()),
          String.format(Locale.ROOT, "%d/%d/%d", c.completed(), c.failed(), c.total()),
          Times.local(b.time("created_at"))});
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        s.append(i == row.length - 1 ? row[i] : String.format(Locale.ROOT, "%-" + widths[i] + "s  ", row[i]));
      }
      lines.add(s.toString());
    }
    return lines;
  }

  private static String safe(String text) {
    return text == null ? "-" : Terminal.safe(text, 80);
  }
}
