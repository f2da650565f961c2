package dev.llmworker.batchcli;

import java.util.Locale;

/** OpenAI's batch states; {@link #UNKNOWN} for a name this client does not know (it keeps waiting on those). */
enum BatchStatus {
  VALIDATING(false),
  FAILED(true),
  IN_PROGRESS(false),
  FINALIZING(false),
  COMPLETED(true),
  EXPIRED(true),
  CANCELLING(false),
  CANCELLED(true),
  UNKNOWN(false);

  private final boolean ended;

  BatchStatus(boolean ended) {
    this.ended = ended;
  }

  static BatchStatus of(String name) {
    if (name == null) {
      return UNKNOWN;
    }
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
  }

  /** No more changes will come: the output and error files, if any, are final. */
  boolean ended() {
    return ended;
  }

  /** 0 for a completed batch; 1 for one that failed, expired or was cancelled. */
  int exitCode() {
    return this == COMPLETED ? 0 : 1;
  }
}
