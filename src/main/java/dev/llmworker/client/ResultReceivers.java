package dev.llmworker.client;

import dev.llmworker.retry.Backoff;
import dev.llmworker.sqs.QueueDepth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Long polls on the results queue, several at once, each receiving up to ten messages and handing them to the
 * writer. A bounded hand-off keeps them from receiving faster than the writer writes: a message waiting in
 * memory burns its visibility timeout. Without --follow they end once the queue is empty: two receive rounds in
 * a row came back empty and SQS counts no visible message.
 */
final class ResultReceivers {
  /** Without --follow, receives that fail this often in a row end the command; --follow keeps trying. */
  private static final int MAX_FAILURES_IN_A_ROW = 5;
  private static final Backoff RETRY_PAUSE = new Backoff(400, 30_000);

  private final SqsAsyncClient sqs;
  private final String queueUrl;
  private final Settings settings;
  private final BlockingQueue<List<Message>> handoff;
  private final CountDownLatch ended;
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final AtomicInteger emptyInARow = new AtomicInteger();
  private final List<CompletableFuture<ReceiveMessageResponse>> receiving = new ArrayList<>();
  private final Consumer<String> warnings;
  private volatile boolean stopping;
  private volatile boolean abandoned;
  private volatile RuntimeException failure;

  /**
   * @param waitSeconds       long-poll wait of each receive
   * @param visibilitySeconds how long a received message stays hidden from other consumers
   * @param untilEmpty        end once the queue is empty (false: --follow, end only on {@link #stop()})
   */
  record Settings(int pollers, int waitSeconds, int visibilitySeconds, boolean untilEmpty) {}

  ResultReceivers(SqsAsyncClient sqs, String queueUrl, Settings settings, Consumer<String> warnings) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.settings = settings;
    this.warnings = warnings;
    this.handoff = new ArrayBlockingQueue<>(settings.pollers() * 2);
    this.ended = new CountDownLatch(settings.pollers());
    for (int i = 0; i < settings.pollers(); i++) {
      receiving.add(null);
    }
  }

  void start() {
    for (int i = 0; i < settings.pollers(); i++) {
      int slot = i;
      Thread poller = new Thread(() -> poll(slot), "results-receive-" + i);
      poller.setDaemon(true);
      poller.start();
    }
  }

  /** Received messages, all that are waiting (at least one batch), or an empty list after {@code timeoutMs}. */
  List<Message> next(long timeoutMs) throws InterruptedException {
    List<Message> batch = handoff.poll(timeoutMs, TimeUnit.MILLISECONDS);
    if (batch == null) {
      return List.of();
    }
    List<Message> all = new ArrayList<>(batch);
    List<List<Message>> more = new ArrayList<>();
    handoff.drainTo(more);
    more.forEach(all::addAll);
    return all;
  }

  /** True once every poller has ended and all they received has been taken with {@link #next(long)}. */
  boolean finished() {
    return ended.getCount() == 0 && handoff.isEmpty();
  }

  /** Why the pollers gave up (SQS unreachable), or null. */
  RuntimeException failure() {
    return failure;
  }

  /**
   * Ends receiving and drops what was received but not taken: after a write failure nothing more is written.
   * The dropped messages come again after their visibility timeout.
   */
  void abandon() {
    abandoned = true;
    stop();
    handoff.clear();
  }

  /**
   * Ends receiving now (a signal, a write failure). Long polls under way are cut short; a message SQS hands
   * to one at that very moment stays hidden for the visibility timeout and then comes again.
   */
  void stop() {
    stopping = true;
    stopSignal.countDown();
    synchronized (receiving) {
      receiving.forEach(call -> {
        if (call != null) {
          call.cancel(true);
        }
      });
    }
  }

  private void poll(int slot) {
    int failures = 0;
    try {
      while (!stopping) {
        List<Message> messages;
        try {
          messages = receive(slot);
          failures = 0;
        } catch (CancellationException e) {
          break;
        } catch (CompletionException e) {
          if (stopping) {
            break;
          }
          if (++failures >= MAX_FAILURES_IN_A_ROW && settings.untilEmpty()) {
            giveUp(e);
            break;
          }
          if (failures == MAX_FAILURES_IN_A_ROW) {
            warnings.accept("llm-worker: receiving from " + queueUrl + " keeps failing (" + reason(e)
                + "); still trying");
          }
          pause(RETRY_PAUSE.delayMs(failures));
          continue;
        }
        if (!messages.isEmpty()) {
          emptyInARow.set(0);
          handOver(messages);
        } else if (settings.untilEmpty() && emptyInARow.incrementAndGet() >= 2 * settings.pollers()
            && queueLooksEmpty()) {
          // the others finish the receive they are in (at most waitSeconds) and hand over what it brings
          stopping = true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ended.countDown();
    }
  }

  private void handOver(List<Message> messages) throws InterruptedException {
    while (!handoff.offer(messages, 100, TimeUnit.MILLISECONDS)) {
      if (abandoned) {
        return;
      }
    }
  }

  private List<Message> receive(int slot) {
    CompletableFuture<ReceiveMessageResponse> call = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
        .maxNumberOfMessages(10)
        .waitTimeSeconds(settings.waitSeconds())
        .visibilityTimeout(settings.visibilitySeconds()));
    synchronized (receiving) {
      receiving.set(slot, call);
    }
    if (stopping) {
      call.cancel(true);
    }
    return call.join().messages();
  }

  private boolean queueLooksEmpty() {
    try {
      return QueueDepth.fetch(sqs, queueUrl).join().visible() == 0;
    } catch (CompletionException e) {
      return false;
    }
  }

  private void giveUp(CompletionException e) {
    failure = new ClientException("receiving from " + queueUrl + " failed " + MAX_FAILURES_IN_A_ROW
        + " times in a row: " + reason(e));
    stopping = true;
  }

  private static String reason(CompletionException e) {
    Throwable cause = e.getCause() == null ? e : e.getCause();
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  /** Waits before retrying a failed receive; a stop ends the wait. */
  private void pause(long ms) throws InterruptedException {
    stopSignal.await(ms, TimeUnit.MILLISECONDS);
  }
}
