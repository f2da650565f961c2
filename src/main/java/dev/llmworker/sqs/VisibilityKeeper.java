package dev.llmworker.sqs;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats: keeps received messages invisible while their tasks run. A message arrives with the receive's short
 * visibility; a task still held after half of it gets the full timeout, and from then on it is extended whenever a
 * tenth of the timeout has passed, so that at any moment it has at least about 90% of the timeout left: an SQS
 * outage of up to 0.8 × the timeout costs no second delivery. The local lease advances only when SQS has accepted
 * an extension; a failed one is sent again at the next tick (at most half a second later). SQS keeps a message invisible at most 12 hours after
 * its receive: shortly before that, {@code atLimit} hears of it, so the poller can give the task up cleanly.
 */
public final class VisibilityKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(VisibilityKeeper.class);
  /** SQS's limit: a message is invisible at most this long after its receive. */
  public static final int MAX_SECONDS = 43_200;

  private final Vertx vertx;
  private final SqsBatcher<VisibilityChange> batcher;
  private final int timeoutSeconds;
  private final int receiveSeconds;
  private final int limitSeconds;
  private final long tickMs;
  private final Consumer<String> atLimit;
  private final Map<String, Lease> leases = new HashMap<>();
  private final long timer;
  private int failedSinceWarning;
  private long warnedAt;

  /** Hidden until {@code until}, in a window of {@code windowMs}; an extension is on its way while {@code pending}. */
  private static final class Lease {
    final long receivedAt = System.currentTimeMillis();
    long until;
    long windowMs;
    boolean first = true;
    boolean pending;
    boolean limitReported;

    Lease(long windowMs) {
      this.windowMs = windowMs;
      this.until = receivedAt + windowMs;
    }
  }

  /**
   * @param timeoutSeconds what a running task's visibility is extended to
   * @param receiveSeconds the visibility a message was received with (at most {@code timeoutSeconds})
   * @param limitSeconds   the longest a message can be kept invisible ({@link #MAX_SECONDS}; shorter in tests)
   * @param atLimit        called once with the receipt handle of a message about to reach that limit
   */
  public VisibilityKeeper(Vertx vertx, SqsBatcher<VisibilityChange> batcher, int timeoutSeconds, int receiveSeconds,
      int limitSeconds, Consumer<String> atLimit) {
    this.vertx = vertx;
    this.batcher = batcher;
    this.timeoutSeconds = timeoutSeconds;
    this.receiveSeconds = Math.min(receiveSeconds, timeoutSeconds);
    this.limitSeconds = limitSeconds;
    this.atLimit = atLimit;
    this.tickMs = Math.max(100, Math.min(500, this.receiveSeconds * 1000L / 4));
    this.timer = vertx.setPeriodic(tickMs, id -> extendDue());
  }

  /** Starts keeping a message just received (with the receive's visibility). */
  public void track(String receiptHandle) {
    leases.put(receiptHandle, new Lease(receiveSeconds * 1000L));
  }

  public void untrack(String receiptHandle) {
    leases.remove(receiptHandle);
  }

  public int tracked() {
    return leases.size();
  }

  private void extendDue() {
    long now = System.currentTimeMillis();
    List<String> limited = new ArrayList<>();
    for (Map.Entry<String, Lease> e : leases.entrySet()) {
      Lease lease = e.getValue();
      long beforeLimit = lease.receivedAt + limitSeconds * 1000L - now;
      if (beforeLimit < limitMarginMs()) {
        if (!lease.limitReported) {
          lease.limitReported = true;
          limited.add(e.getKey());
        }
      } else if (!lease.pending && due(lease, now)) {
        extend(e.getKey(), lease, now, (int) Math.min(timeoutSeconds, beforeLimit / 1000));
      }
    }
    limited.forEach(atLimit);
  }

  /** The first window (the receive's) is extended when half used; the full one whenever a tenth of it has passed. */
  private boolean due(Lease lease, long now) {
    long left = lease.until - now;
    return lease.first ? left < lease.windowMs / 2 : left < lease.windowMs - Math.max(tickMs, lease.windowMs / 10);
  }

  private void extend(String receiptHandle, Lease lease, long now, int seconds) {
    lease.pending = true;
    batcher.add(new VisibilityChange(receiptHandle, seconds))
        .onComplete(ar -> lease.pending = false)
        .onSuccess(v -> {
          lease.first = false;
          lease.windowMs = seconds * 1000L;
          lease.until = now + lease.windowMs;
        })
        .onFailure(err -> failed(lease, err));
  }

  /** One warning every few seconds at most, however many messages an outage holds up. */
  private void failed(Lease lease, Throwable err) {
    failedSinceWarning++;
    long now = System.currentTimeMillis();
    if (now - warnedAt >= 5000) {
      LOG.warn("could not extend the visibility of {} running task(s) ({}); trying again each second, {} s left on "
          + "this one", failedSinceWarning, err.getMessage(), Math.max(0, (lease.until - now) / 1000));
      warnedAt = now;
      failedSinceWarning = 0;
    }
  }

  /** Reported this long before the limit: time for the poller to dead-letter or requeue the message. */
  private long limitMarginMs() {
    return Math.max(3 * tickMs, Math.min(120_000, limitSeconds * 1000L / 10));
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }
}
