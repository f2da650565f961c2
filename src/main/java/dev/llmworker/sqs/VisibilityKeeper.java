package dev.llmworker.sqs;

import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats: keeps received messages invisible while their tasks run, by extending the visibility
 * timeout (batched) when half of it is used up. A task may therefore run far longer than the queue's
 * visibility timeout without being delivered twice.
 */
public final class VisibilityKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(VisibilityKeeper.class);

  private final Vertx vertx;
  private final SqsBatcher<VisibilityChange> batcher;
  private final int timeoutSeconds;
  private final Map<String, Long> deadlines = new HashMap<>();
  private final long timer;

  public VisibilityKeeper(Vertx vertx, SqsBatcher<VisibilityChange> batcher, int timeoutSeconds) {
    this.vertx = vertx;
    this.batcher = batcher;
    this.timeoutSeconds = timeoutSeconds;
    this.timer = vertx.setPeriodic(Math.max(100, Math.min(1000, timeoutSeconds * 1000L / 4)), id -> extendDue());
  }

  /** Starts keeping a message just received with the given visibility timeout. */
  public void track(String receiptHandle) {
    deadlines.put(receiptHandle, System.currentTimeMillis() + timeoutSeconds * 1000L);
  }

  public void untrack(String receiptHandle) {
    deadlines.remove(receiptHandle);
  }

  public int tracked() {
    return deadlines.size();
  }

  private void extendDue() {
    long now = System.currentTimeMillis();
    long margin = timeoutSeconds * 1000L / 2;
    for (Map.Entry<String, Long> e : deadlines.entrySet()) {
      if (e.getValue() - now < margin) {
        e.setValue(now + timeoutSeconds * 1000L);
        batcher.add(new VisibilityChange(e.getKey(), timeoutSeconds))
            .onFailure(err -> LOG.warn("could not extend the visibility of a running task: {}", err.getMessage()));
      }
    }
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }
}
