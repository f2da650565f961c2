package dev.llmworker.poller;

import dev.llmworker.app.LlmwConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import dev.llmworker.retry.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * The poller's long-poll loop: asks SQS for {@code min(10, free credits)} while credits are free (with one long poll
 * while the queue is empty), waits up to {@code poller.receiveLingerMs} for a full batch of 10, and backs off
 * (capped, with jitter) while SQS fails — it never stops by itself. Credits reserved by receives under way count as
 * used. Confined to one context.
 */
final class ReceiveLoop {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiveLoop.class);
  private static final int SHORT_WAIT_SECONDS = 1;

  private final Vertx vertx;
  private final Context context;
  private final SqsAsyncClient sqs;
  private final String queueUrl;
  private final LlmwConfig config;
  private final IntSupplier freeCredits;
  private final IntSupplier fullBatch;
  private final BooleanSupplier nothingHeld;
  private final Consumer<Message> onMessage;
  private final Map<CompletableFuture<ReceiveMessageResponse>, Integer> receives = new HashMap<>();
  private int reserved;
  private long lingerTimer = -1;
  private long pausedUntil;
  private int failures;
  private boolean stopped;
  /** The last receive found the queue empty (or none has answered yet): one receive is enough to notice messages. */
  private boolean queueEmpty = true;
  private Promise<Void> idle;

  /**
   * @param freeCredits credits free now, reserved ones already subtracted
   * @param fullBatch   how many messages make a batch worth receiving without lingering (at most 10)
   * @param nothingHeld whether the poller holds no message (none running, waiting or settling)
   */
  ReceiveLoop(Vertx vertx, Context context, SqsAsyncClient sqs, String queueUrl, LlmwConfig config,
      IntSupplier freeCredits, IntSupplier fullBatch, BooleanSupplier nothingHeld, Consumer<Message> onMessage) {
    this.vertx = vertx;
    this.context = context;
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.config = config;
    this.freeCredits = freeCredits;
    this.fullBatch = fullBatch;
    this.nothingHeld = nothingHeld;
    this.onMessage = onMessage;
  }

  /** Credits held by receives under way. */
  int reserved() {
    return reserved;
  }

  /** Starts receives while credits are free. Call whenever credits may have freed up. */
  void poll() {
    if (stopped || System.currentTimeMillis() < pausedUntil) {
      return;
    }
    while (receives.size() < maxReceives() && freeCredits.getAsInt() > 0) {
      int want = Math.min(10, freeCredits.getAsInt());
      if (want < fullBatch.getAsInt() && config.poller().receiveLingerMs() > 0) {
        lingerForFullerBatch();
        return;
      }
      receive(want);
    }
  }

  /**
   * Starts no more receives. Completes at once when the poller holds nothing: its one long poll is not waited out,
   * and what that poll still catches after the node exits stays hidden only for the short visibility a receive asks
   * for. Otherwise it completes when the receives under way (short ones, see {@link #receive}) have answered, so that
   * messages the poller gives back afterwards cannot be caught by a receive of its own.
   */
  Future<Void> stop() {
    stopped = true;
    if (lingerTimer >= 0) {
      vertx.cancelTimer(lingerTimer);
    }
    if (receives.isEmpty() || nothingHeld.getAsBoolean()) {
      return Future.succeededFuture();
    }
    idle = Promise.promise();
    long limit = (config.sqs().waitTimeSeconds() + 5) * 1000L;
    long timer = vertx.setTimer(limit, id -> idle.tryComplete());
    return idle.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /**
   * Cancels the receives still under way, at the very end of a stop (nothing could settle what they bring any more):
   * their connections close now instead of holding up the SQS client's shutdown.
   */
  void abandon() {
    List.copyOf(receives.keySet()).forEach(call -> call.cancel(true));
  }

  private void lingerForFullerBatch() {
    if (lingerTimer < 0) {
      lingerTimer = vertx.setTimer(config.poller().receiveLingerMs(), id -> {
        lingerTimer = -1;
        if (!stopped && System.currentTimeMillis() >= pausedUntil && freeCredits.getAsInt() > 0
            && receives.size() < maxReceives()) {
          receive(Math.min(10, freeCredits.getAsInt()));
        }
        poll();
      });
    }
  }

  private void receive(int count) {
    if (lingerTimer >= 0) {
      // the credits a pending linger was waiting for are taken now; lingering starts afresh for the next ones
      vertx.cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
    // the whole long-poll wait only for the sole receive (the queue was empty) of a poller that holds nothing: until
    // it answers, the poller holds nothing, so a stop need not wait for it; every other receive waits a second at most
    boolean longWait = queueEmpty && receives.isEmpty() && nothingHeld.getAsBoolean();
    CompletableFuture<ReceiveMessageResponse> call = sqs.receiveMessage(b -> b
        .queueUrl(queueUrl)
        .maxNumberOfMessages(count)
        .waitTimeSeconds(longWait ? config.sqs().waitTimeSeconds() : Math.min(SHORT_WAIT_SECONDS,
            config.sqs().waitTimeSeconds()))
        .visibilityTimeout(visibilitySeconds(config))
        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
            MessageSystemAttributeName.SENT_TIMESTAMP, MessageSystemAttributeName.MESSAGE_GROUP_ID)
        .messageAttributeNames("All"));
    receives.put(call, count);
    reserved += count;
    Future.fromCompletionStage(call, context).onComplete(ar -> {
      reserved -= receives.remove(call);
      if (ar.succeeded()) {
        received(ar.result().messages());
      } else {
        failed(ar.cause());
      }
      if (stopped && receives.isEmpty() && idle != null) {
        idle.tryComplete();
      }
      poll();
    });
  }

  /** What a receive asks for: short (the keeper extends it for tasks that need longer), never above the queue's. */
  static int visibilitySeconds(LlmwConfig config) {
    return Math.min(config.poller().receiveVisibilitySeconds(), config.sqs().visibilityTimeoutSeconds());
  }

  /**
   * Receives under way at most: all of {@code poller.maxConcurrentReceives} while there are messages, one while the
   * queue is empty. An idle node then costs one receive per wait time, and a stop leaves at most one long poll
   * behind, which can hide a message that arrives later only once, and only for the receive's visibility.
   */
  private int maxReceives() {
    return queueEmpty ? 1 : config.poller().maxConcurrentReceives();
  }

  private void received(List<Message> messages) {
    queueEmpty = messages.isEmpty();
    if (failures > 0) {
      LOG.info("SQS reachable again after {} failed receives", failures);
      failures = 0;
    }
    messages.forEach(onMessage);
  }

  private void failed(Throwable error) {
    if (stopped) {
      return;
    }
    failures++;
    long delay = Backoff.SQS_RECEIVE.delayMs(failures);
    pausedUntil = System.currentTimeMillis() + delay;
    if (failures == 1 || failures % 10 == 0) {
      LOG.warn("receive from SQS failed ({} in a row), retrying in {} ms: {}", failures, delay, error.getMessage());
    }
    vertx.setTimer(delay, id -> poll());
  }
}
