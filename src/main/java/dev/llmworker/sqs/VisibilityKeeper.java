package dev.llmworker.sqs;

import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats: keeps received messages invisible while their tasks run, by extending the visibility timeout
 * (batched) when half of what was last granted is used up. A message arrives with the receive's short visibility;
 * a task still held after half of it gets the full timeout. A task may therefore run far longer than the queue's
 * visibility timeout without being delivered twice, and one that ends quickly costs no visibility call at all.
 */
public final class VisibilityKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(VisibilityKeeper.class);

  private final Vertx vertx;
  private final SqsBatcher<VisibilityChange> batcher;
  private final int timeoutSeconds;
  private final int receiveSeconds;
  private final Map<String, Lease> leases = new HashMap<>();
  private final long timer;

  /** How long SQS hides the message from now on ({@code until}), and the window that was granted. */
  private record Lease(long until, long windowMs) {
    boolean halfUsed(long now) {
      return until - now < windowMs / 2;
    }
  }

  /**
   * @param timeoutSeconds what a running task's visibility is extended to
   * @param receiveSeconds the visibility a message was received with (at most {@code timeoutSeconds})
   */
  public VisibilityKeeper(Vertx vertx, SqsBatcher<VisibilityChange> batcher, int timeoutSeconds, int receiveSeconds) {
    this.vertx = vertx;
    this.batcher = batcher;
    this.timeoutSeconds = timeoutSeconds;
    this.receiveSeconds = Math.min(receiveSeconds, timeoutSeconds);
    this.timer = vertx.setPeriodic(Math.max(100, Math.min(1000, this.receiveSeconds * 1000L / 4)), id -> extendDue());
  }

  /** Starts keeping a message just received (with the receive's visibility). */
  public void track(String receiptHandle) {
    leases.put(receiptHandle, new Lease(System.currentTimeMillis() + receiveSeconds * 1000L, receiveSeconds * 1000L));
  }

  public void untrack(String receiptHandle) {
    leases.remove(receiptHandle);
  }

  public int tracked() {
    return leases.size();
  }

  private void extendDue() {
    long now = System.currentTimeMillis();
    for (Map.Entry<String, Lease> e : leases.entrySet()) {
      if (e.getValue().halfUsed(now)) {
        e.setValue(new Lease(now + timeoutSeconds * 1000L, timeoutSeconds * 1000L));
        batcher.add(new VisibilityChange(e.getKey(), timeoutSeconds))
            .onFailure(err -> LOG.warn("could not extend the visibility of a running task: {}", err.getMessage()));
      }
    }
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }
}
