package dev.llmworker.poller;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.batch.BatchStops;
import dev.llmworker.bus.BusCodecs;
import dev.llmworker.bus.ShutdownPhase;
import dev.llmworker.monitor.NodeStats;
import dev.llmworker.poller.MessageLedger.State;
import dev.llmworker.retry.Backoff;
import dev.llmworker.sqs.MessageLimits;
import dev.llmworker.sqs.QueueUrls;
import dev.llmworker.sqs.SqsBatches;
import dev.llmworker.sqs.SqsClients;
import dev.llmworker.sqs.VisibilityKeeper;
import dev.llmworker.task.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives tasks from SQS ({@link ReceiveLoop}) within the credits of the live worker capacity, runs each at a worker
 * ({@link WorkerDispatcher}, {@link TaskFlow}), keeps running tasks invisible ({@link VisibilityKeeper}), settles
 * each outcome through batched SQS calls ({@link OutcomeSettler}) and stops gracefully. Wiring only: every message's
 * state is in the {@link MessageLedger}.
 */
public final class PollerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PollerVerticle.class);

  private final LlmwConfig config;
  private final QueueUrls queues;
  private final MessageLimits limits;
  private final SqsClients sqs;
  private final NodeStats stats;
  private final MessageLedger ledger;
  private CapacityTracker capacity;
  private VisibilityKeeper keeper;
  private OutcomeSettler.Batchers batchers;
  private StoreRetries storeRetries;
  private WorkerDispatcher workers;
  private TaskFlow flow;
  private ReceiveLoop receiver;
  private BatchStops batchStops;
  private boolean stopping;
  private Promise<Void> drained;
  /** A second signal ended the grace period early; it can come before this verticle's stop has begun. */
  private boolean hurryRequested;
  /** Completed when a stop has settled or given back every message and flushed every batch. */
  private final Promise<Void> settled = Promise.promise();

  public PollerVerticle(LlmwConfig config, QueueUrls queues, MessageLimits limits, SqsClients sqs, NodeStats stats) {
    this.config = config;
    this.queues = queues;
    this.limits = limits;
    this.sqs = sqs;
    this.stats = stats;
    this.ledger = new MessageLedger(stats);
  }

  @Override
  public Future<?> start() {
    BusCodecs.ensure(vertx);
    long flush = config.poller().flushIntervalMs();
    batchers = new OutcomeSettler.Batchers(
        SqsBatches.sends(vertx, sqs.operations(), queues.results(), flush),
        SqsBatches.sends(vertx, sqs.operations(), queues.dlq(), flush),
        SqsBatches.deletes(vertx, sqs.operations(), queues.tasks(), flush),
        SqsBatches.visibility(vertx, sqs.operations(), queues.tasks(), flush),
        SqsBatches.sends(vertx, sqs.operations(), queues.tasks(), flush),
        queues.batchResults() == null ? null : SqsBatches.sends(vertx, sqs.operations(), queues.batchResults(), flush));
    storeRetries = new StoreRetries(vertx, new Backoff(config.retry().baseDelayMs(),
        Math.max(config.retry().baseDelayMs(), config.retry().maxDelayMs())));
    OversizeResults oversize = new OversizeResults(vertx, config.results().oversizeFile(), stats.host(),
        limits.results());
    OutcomeSettler settler = new OutcomeSettler(batchers, queues, limits.deadLetters(), config.retry(),
        new OutcomeSettler.Stores(storeRetries, oversize), stats);
    keeper = new VisibilityKeeper(vertx, SqsBatches.visibility(vertx, sqs.operations(), queues.tasks(), flush, 1),
        config.sqs().visibilityTimeoutSeconds(), ReceiveLoop.visibilitySeconds(config), visibilityLimit(),
        handle -> flow.atVisibilityLimit(handle));
    capacity = new CapacityTracker(vertx, this::capacityChanged, worker -> workers.workerLost(worker));
    workers = new WorkerDispatcher(vertx, capacity, ledger, stats, config.workerBackstopMs());
    batchStops = new BatchStops(vertx);
    flow = new TaskFlow(ledger, workers, settler, keeper, stats, this::creditsChanged, batchStops);
    receiver = new ReceiveLoop(vertx, context, sqs.polling(), queues.tasks(), config, this::freeCredits,
        () -> Math.min(10, capacity.share()), () -> ledger.open() == 0, flow::accept);
    var hurry = vertx.eventBus().<ShutdownPhase>localConsumer(Addresses.SHUTDOWN, m -> {
      if (m.body() == ShutdownPhase.HURRY) {
        hurry();
      }
    });
    var control = vertx.eventBus().<JsonObject>consumer(Addresses.CONTROL_POLLING,
        m -> setPaused(m.body().getBoolean("paused", false)));
    return Future.join(capacity.start(), hurry.completion(), control.completion(), batchStops.start());
  }

  /** SQS's 12 hours; a system property shortens it so that a test can reach it. */
  private static int visibilityLimit() {
    return Integer.getInteger("llmw.visibilityLimitSeconds", VisibilityKeeper.MAX_SECONDS);
  }

  /** A second signal: stop waiting for running tasks (at once, if the stop has not begun yet). */
  private void hurry() {
    hurryRequested = true;
    if (drained != null && drained.tryComplete()) {
      flow.hurried();
    }
  }

  /**
   * Paused: no new receives, and what a receive under way still brings goes straight back to SQS; running tasks
   * finish and settle as usual.
   */
  private void setPaused(boolean paused) {
    if (stats.paused.getAndSet(paused) != paused) {
      LOG.info("polling {}", paused ? "paused" : "resumed");
      maybePoll();
    }
  }

  private void capacityChanged() {
    stats.capacity.set(capacity.share());
    workers.capacityChanged();
    maybePoll();
  }

  private void creditsChanged() {
    if (stopping && ledger.open() == 0 && drained != null) {
      drained.tryComplete();
    }
    maybePoll();
  }

  /**
   * Credits are this poller's share of the live worker slots: tasks at workers, tasks waiting for their FIFO group or
   * for a live worker, and messages being received. Messages whose outcome is being written to SQS no longer hold a
   * slot, but they are bounded too (at most one capacity's worth), so a stalled SQS stops receiving instead of piling
   * messages up in memory. Where rate budgets apply, credits are also bounded by what the budgets can start within
   * the admission horizon: at the limit, receives slow down instead of messages waiting in memory.
   */
  private int freeCredits() {
    int waiting = ledger.inState(State.AT_WORKER) + ledger.inState(State.HELD_FOR_GROUP)
        + ledger.inState(State.WAITING_FOR_WORKER) + ledger.inState(State.RECEIVED);
    if (stats.paused.get() || ledger.inState(State.SETTLING) >= Math.max(1, capacity.share()) || throttled()) {
      return 0;
    }
    int credits = capacity.share() - waiting - receiver.reserved();
    long room = capacity.budgetRoom();
    return room < 0 ? credits : (int) Math.min(credits, room - receiver.reserved());
  }

  /**
   * While many tasks wait on a backoff (the provider throttles or fails), receiving more would only burn their
   * visibility and receive counts: admit nothing new until the backlog of retries shrinks.
   */
  private boolean throttled() {
    return capacity.backingOff() > capacity.clusterTotal() * config.poller().maxBackingOffPercent() / 100;
  }

  private void maybePoll() {
    if (!stopping) {
      receiver.poll();
    }
  }

  /**
   * Graceful stop: receive nothing more; messages held for their FIFO group go back at once; running tasks settle
   * within the grace period (or until "hurry"); what is left goes back to SQS; batches are flushed.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    Future<Void> receivesDone = receiver.stop();
    flow.stop();
    drained = Promise.promise();
    if (ledger.open() == 0) {
      drained.complete();
    } else if (hurryRequested) {
      hurry();
    }
    long timer = vertx.setTimer(Math.max(1, config.shutdown().graceSeconds()) * 1000L, id -> drained.tryComplete());
    return drained.future()
        .onComplete(ar -> vertx.cancelTimer(timer))
        .compose(v -> receivesDone)
        .onComplete(ar -> storeRetries.hurry())
        .compose(v -> {
          flow.giveBackUnfinished();
          return flow.empty();
        })
        .compose(v -> flushAll())
        .onComplete(ar -> LOG.info("shutdown: {}", flow.tally().summary()))
        .onComplete(ar -> keeper.stop())
        .onComplete(ar -> batchStops.stop())
        .onComplete(ar -> receiver.abandon())
        .onComplete(ar -> settled.tryComplete())
        .compose(v -> capacity.stop());
  }

  /**
   * Completes once a stop has settled or given back every message it held and flushed every batch to SQS: what its
   * undeploy still does after that (unregistering from the cluster) loses nothing if it is cut short.
   */
  public Future<Void> settled() {
    return settled.future();
  }

  private Future<Void> flushAll() {
    return Future.join(batchers.results().flushAll(), batchers.deadLetters().flushAll(),
        batchers.deletes().flushAll(), batchers.visibility().flushAll(), batchers.requeues().flushAll(),
        batchers.batchResults() == null ? Future.succeededFuture() : batchers.batchResults().flushAll()).mapEmpty();
  }
}
