package dev.llmworker.batchcli;

import dev.llmworker.client.Terminal;
import java.util.ArrayList;
import java.util.List;

/** A refused input file's {@code errors.data} as lines, {@code line N: code: message}, the first 20 of them. */
final class ErrorLines {
  static final int SHOWN = 20;

  private ErrorLines() {}

  static List<String> of(List<BatchObject.InputError> errors) {
    List<String> lines = new ArrayList<>();
    for (BatchObject.InputError e : errors.subList(0, Math.min(SHOWN, errors.size()))) {
      lines.add(line(e));
    }
    if (errors.size() > SHOWN) {
      lines.add("... and " + (errors.size() - SHOWN) + " more");
    }
    return lines;
  }

  static String line(BatchObject.InputError e) {
    String where = e.line() == null ? "" : "line " + e.line() + ": ";
    String code = e.code() == null ? "error" : Terminal.safe(e.code(), 100);
    String param = e.param() == null ? "" : " (" + Terminal.safe(e.param(), 100) + ")";
    return where + code + ": " + Terminal.safe(e.message(), 500) + param;
  }
}
