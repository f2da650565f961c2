package dev.llmworker.batch;

import java.util.Locale;

/**
 * What one collected part of a batch holds: lines that succeeded and failed, tokens and cost. Kept in the part's
 * object name, so that listing a batch's parts gives its progress without reading them, and two nodes collecting
 * the same batch never update a shared counter.
 */
record PartTotals(long completed, long failed, long promptTokens, long completionTokens, long costMicros) {
  static final PartTotals ZERO = new PartTotals(0, 0, 0, 0, 0);
  private static final String SUFFIX = ".jsonl";

  PartTotals plus(PartTotals o) {
    return new PartTotals(completed + o.completed, failed + o.failed, promptTokens + o.promptTokens,
        completionTokens + o.completionTokens, costMicros + o.costMicros);
  }

  long done() {
    return completed + failed;
  }

  /** {@code <unique>_<completed>_<failed>_<prompt>_<completion>_<costMicros>.jsonl} */
  String name(String unique) {
    return String.format(Locale.ROOT, "%s_%d_%d_%d_%d_%d%s", unique, completed, failed, promptTokens,
        completionTokens, costMicros, SUFFIX);
  }

  /** The totals in a part's name, or {@link #ZERO} for a name of another form. */
  static PartTotals parse(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    if (!name.endsWith(SUFFIX)) {
      return ZERO;
    }
    String[] f = name.substring(0, name.length() - SUFFIX.length()).split("_");
    if (f.length != 6) {
      return ZERO;
    }
    try {
      return new PartTotals(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
          Long.parseLong(f[5]));
    } catch (NumberFormatException e) {
      return ZERO;
    }
  }
}
