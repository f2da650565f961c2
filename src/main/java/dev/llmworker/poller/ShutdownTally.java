package dev.llmworker.poller;

/** What a stop did with the tasks this poller held, for the one summary line. */
final class ShutdownTally {
  private final long startedAt = System.nanoTime();
  private final int held;
  private int succeeded;
  private int deadLettered;
  private int returned;
  private int released;
  /** Of those released: still running when the grace period ended or a second signal came. */
  private int cutShort;

  ShutdownTally(int held) {
    this.held = held;
  }

  /**
   * @param released the task was not run to its end: given back unstarted, or cut short
   * @param cutShort its worker was still running it when the stop gave it back
   */
  void settled(Settlement settlement, boolean released, boolean cutShort) {
    if (released) {
      this.released++;
      this.cutShort += cutShort ? 1 : 0;
      return;
    }
    switch (settlement) {
      case SUCCEEDED -> succeeded++;
      case DEAD_LETTERED -> deadLettered++;
      case RETURNED, REQUEUED -> returned++;
    }
  }

  String summary() {
    return String.format("%d tasks were in flight; finished %d (%d succeeded, %d dead-lettered, %d returned for a "
            + "retry), released %d unfinished back to SQS (%d not started, %d cut short), "
            + "in %.1f s", held, succeeded + deadLettered + returned, succeeded, deadLettered, returned, released,
        released - cutShort, cutShort, (System.nanoTime() - startedAt) / 1e9);
  }
}
