package dev.llmworker.client;

/**
 * Decides where each result goes so that every custom_id is written once: successes to the results file,
 * failures to the errors file, redeliveries and results already in either file nowhere. A success for an id
 * that failed before (a dead-lettered task redriven and now done) still goes to the results file.
 */
public final class ResultRouter {
  public enum Target { RESULTS, ERRORS, DUPLICATE }

  /** Where a message's line goes, and the line (null for a duplicate). */
  public record Routed(Target target, String line) {}

  private final SeenIds succeeded = new SeenIds();
  private final SeenIds failed = new SeenIds();
  /** Unreadable messages have no custom_id; their SQS message id (stable across redeliveries) stands in. */
  private final SeenIds unreadable = new SeenIds();
  private final Tally tally = new Tally();

  /** Counts of what this run did. */
  public static final class Tally {
    public long results;
    public long errors;
    long duplicates;
    long recovered;
    long unreadable;

    long written() {
      return results + errors;
    }
  }

  /** Reads the ids of a results file written earlier; returns the lines that are not result lines. */
  int loadResults(ResultsFile file) {
    return load(file, succeeded);
  }

  /** Reads the ids of an errors file written earlier; returns the lines that are not result lines. */
  int loadErrors(ResultsFile file) {
    return load(file, failed);
  }

  int knownIds() {
    return succeeded.size() + failed.size() + unreadable.size();
  }

  /** Whether a line for {@code customId} has been written (to either file). */
  public boolean known(String customId) {
    return succeeded.contains(customId) || failed.contains(customId);
  }

  public Routed route(String messageId, String body) {
    ResultLineReader.Read read = ResultLineReader.read(messageId, body);
    if (read.customId() == null) {
      if (unreadable.putIfAbsent(messageId, 0) >= 0) {
        return duplicate();
      }
      tally.unreadable++;
      tally.errors++;
      return new Routed(Target.ERRORS, read.line());
    }
    String id = read.customId();
    if (succeeded.contains(id) || (read.failure() && failed.contains(id))) {
      return duplicate();
    }
    if (read.failure()) {
      failed.putIfAbsent(id, 0);
      tally.errors++;
      return new Routed(Target.ERRORS, read.line());
    }
    if (failed.contains(id)) {
      tally.recovered++;
    }
    succeeded.putIfAbsent(id, 0);
    tally.results++;
    return new Routed(Target.RESULTS, read.line());
  }

  public Tally tally() {
    return tally;
  }

  private Routed duplicate() {
    tally.duplicates++;
    return new Routed(Target.DUPLICATE, null);
  }

  private int load(ResultsFile file, SeenIds ids) {
    int[] notResults = {0};
    file.forEachLine((number, line) -> {
      if (line.isBlank()) {
        return;
      }
      ResultLineReader.Key key = ResultLineReader.key(line);
      if (key == null) {
        notResults[0]++;
      } else if (key.customId() != null) {
        ids.putIfAbsent(key.customId(), number);
      } else if (key.messageId() != null) {
        unreadable.putIfAbsent(key.messageId(), number);
      } else {
        notResults[0]++;
      }
    });
    return notResults[0];
  }
}
