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
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * The poller's long-poll loop: asks SQS for {@code min(10, free credits)} while credits are free, waits up to
 * {@code poller.receiveLingerMs} for a full batch of 10, and backs off (capped, with jitter) while SQS fails —
 * it never stops by itself. Credits reserved by receives under way count as used. Confined to one context.
 */
final class ReceiveLoop {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiveLoop.class);
  private static final long MAX_BACKOFF_MS = 10_000;

  private final Vertx vertx;
  private final Context context;
  private final SqsAsyncClient sqs;
  private final String queueUrl;
  private final LlmwConfig config;
  private final IntSupplier freeCredits;
  private final IntSupplier fullBatch;
  private final Consumer<Message> onMessage;
  private final Map<CompletableFuture<ReceiveMessageResponse>, Integer> receives = new HashMap<>();
  private int reserved;
  private long lingerTimer = -1;
  private long pausedUntil;
  private int failures;
  private boolean stopped;
  private Promise<Void> idle;

  /**
   * @param freeCredits credits free now, reserved ones already subtracted
   * @param fullBatch   how many messages make a batch worth receiving without lingering (at most 10)
   */
  ReceiveLoop(Vertx vertx, Context context, SqsAsyncClient sqs, String queueUrl, LlmwConfig config,
      IntSupplier freeCredits, IntSupplier fullBatch, Consumer<Message> onMessage) {
    this.vertx = vertx;
    this.context = context;
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.config = config;
    this.freeCredits = freeCredits;
    this.fullBatch = fullBatch;
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
    while (receives.size() < config.poller().maxConcurrentReceives() && freeCredits.getAsInt() > 0) {
      int want = Math.min(10, freeCredits.getAsInt());
      if (want < fullBatch.getAsInt() && config.poller().receiveLingerMs() > 0) {
        lingerForFullerBatch();
        return;
      }
      receive(want);
    }
  }

  /**
   * Starts no more receives and completes when those under way have answered (at most the long-poll wait):
   * cancelling them would not stop the server, which could still hand messages to a dead request and hide them
   * for a whole visibility timeout. What they bring is passed on as usual (the poller gives it straight back).
   */
  Future<Void> stop() {
    stopped = true;
    if (lingerTimer >= 0) {
      vertx.cancelTimer(lingerTimer);
    }
    if (receives.isEmpty()) {
      return Future.succeededFuture();
    }
    idle = Promise.promise();
    long limit = (config.sqs().waitTimeSeconds() + 10) * 1000L;
    long timer = vertx.setTimer(limit, id -> {
      LOG.warn("shutdown: {} receives still unanswered after {} ms; abandoning them", receives.size(), limit);
      idle.tryComplete();
    });
    return idle.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private void lingerForFullerBatch() {
    if (lingerTimer < 0) {
      lingerTimer = vertx.setTimer(config.poller().receiveLingerMs(), id -> {
        lingerTimer = -1;
        if (!stopped && System.currentTimeMillis() >= pausedUntil && freeCredits.getAsInt() > 0
            && receives.size() < config.poller().maxConcurrentReceives()) {
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
    CompletableFuture<ReceiveMessageResponse> call = sqs.receiveMessage(b -> b
        .queueUrl(queueUrl)
        .maxNumberOfMessages(count)
        .waitTimeSeconds(config.sqs().waitTimeSeconds())
        .visibilityTimeout(config.sqs().visibilityTimeoutSeconds())
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

  private void received(List<Message> messages) {
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
    long delay = Math.min(MAX_BACKOFF_MS, 200L << Math.min(failures, 10));
    delay = delay / 2 + (long) (Math.random() * delay / 2);
    pausedUntil = System.currentTimeMillis() + delay;
    if (failures == 1 || failures % 10 == 0) {
      LOG.warn("receive from SQS failed ({} in a row), retrying in {} ms: {}", failures, delay, error.getMessage());
    }
    vertx.setTimer(delay, id -> poll());
  }
}
