package dev.llmworker.poller;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.monitor.FailureLog;
import dev.llmworker.monitor.NodeStats;
import dev.llmworker.sqs.QueueUrls;
import dev.llmworker.sqs.SqsBatches;
import dev.llmworker.sqs.SqsClients;
import dev.llmworker.sqs.VisibilityKeeper;
import dev.llmworker.task.Addresses;
import dev.llmworker.task.TaskEnvelope;
import dev.llmworker.task.TaskOutcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Hands each message received from the tasks queue ({@link ReceiveLoop}) to a worker by event-bus request.
 * Credit-based: never more tasks at workers than the live worker capacity. It keeps running tasks invisible
 * ({@link VisibilityKeeper}), runs FIFO groups one task at a time ({@link GroupSequencer}), settles each
 * outcome through batched SQS calls ({@link OutcomeSettler}) and stops gracefully.
 */
public final class PollerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PollerVerticle.class);
  /** Sent on to another worker at most this often when workers stop under it; then it goes back to SQS. */
  private static final int MAX_REDIRECTS = 3;

  private final LlmwConfig config;
  private final QueueUrls queues;
  private final SqsClients sqs;
  private final NodeStats stats;
  private final Map<String, InFlightMessage> inFlight = new HashMap<>();
  private final GroupSequencer groups = new GroupSequencer();
  private final CompletedMessages completed = new CompletedMessages();
  private final Dispatches dispatches = new Dispatches();
  /** Received while no worker was live: sent as soon as one announces itself. */
  private final ArrayDeque<InFlightMessage> unassigned = new ArrayDeque<>();
  private CapacityTracker capacity;
  private VisibilityKeeper keeper;
  private OutcomeSettler settler;
  private OutcomeSettler.Batchers batchers;
  private DeliveryOptions taskDelivery;
  private ReceiveLoop receiver;
  private boolean stopping;
  private Promise<Void> drained;
  /** A second signal ended the grace period early. */
  private boolean hurried;
  private boolean hurryRequested;
  /** Completed when a stop has settled or given back every message and flushed every batch. */
  private final Promise<Void> settled = Promise.promise();
  private ShutdownTally tally;
  /** Visibility resets issued by a stop, awaited before it completes. */
  private final List<Future<Settlement>> releases = new java.util.ArrayList<>();

  public PollerVerticle(LlmwConfig config, QueueUrls queues, SqsClients sqs, NodeStats stats) {
    this.config = config;
    this.queues = queues;
    this.sqs = sqs;
    this.stats = stats;
  }

  @Override
  public Future<?> start() {
    long flush = config.poller().flushIntervalMs();
    batchers = new OutcomeSettler.Batchers(
        SqsBatches.sends(vertx, sqs.operations(), queues.results(), flush),
        SqsBatches.sends(vertx, sqs.operations(), queues.dlq(), flush),
        SqsBatches.deletes(vertx, sqs.operations(), queues.tasks(), flush),
        SqsBatches.visibility(vertx, sqs.operations(), queues.tasks(), flush));
    settler = new OutcomeSettler(batchers, queues, config.retry(), new OversizeResults(vertx,
        java.nio.file.Path.of(config.results().oversizeFile()), stats.nodeId(), config.sqs().maxMessageBytes()));
    keeper = new VisibilityKeeper(vertx, batchers.visibility(), config.sqs().visibilityTimeoutSeconds(),
        ReceiveLoop.visibilitySeconds(config));
    taskDelivery = new DeliveryOptions().setSendTimeout(config.worker().taskTimeoutSeconds() * 1000L);
    capacity = new CapacityTracker(vertx, this::capacityChanged, this::workerLost);
    receiver = new ReceiveLoop(vertx, context, sqs.polling(), queues.tasks(), config, this::freeCredits,
        () -> Math.min(10, capacity.share()), inFlight::isEmpty, this::accept);
    var hurry = vertx.eventBus().<JsonObject>localConsumer(Addresses.SHUTDOWN, m -> {
      if ("hurry".equals(m.body().getString("phase"))) {
        hurry();
      }
    });
    var control = vertx.eventBus().<JsonObject>consumer(Addresses.CONTROL_POLLING,
        m -> setPaused(m.body().getBoolean("paused", false)));
    return Future.join(capacity.start(), hurry.completion(), control.completion());
  }

  /**
   * A second signal: stop waiting for running tasks. It can come before this verticle's stop has begun (right after
   * the first signal): then the stop does not wait at all.
   */
  private void hurry() {
    hurryRequested = true;
    if (drained != null) {
      hurried |= !drained.future().isComplete();
      drained.tryComplete();
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
    while (!stopping && !unassigned.isEmpty() && capacity.clusterTotal() > 0) {
      dispatch(unassigned.pollFirst());
    }
    maybePoll();
  }

  /**
   * A worker went silent (its node died or hangs): the tasks it was running go back to SQS now, so another worker
   * takes them within seconds instead of after the task timeout or the visibility timeout. Should the worker
   * answer after all, its answer is ignored (at least once: the task may run twice, it is never lost).
   */
  private void workerLost(String worker) {
    List<InFlightMessage> tasks = dispatches.takeBack(worker);
    if (tasks.isEmpty()) {
      return;
    }
    LOG.warn("worker {} has been silent for {} ms: the {} tasks it was running go back to SQS now", worker,
        CapacityTracker.EXPIRY_MS, tasks.size());
    stats.recovered.add(tasks.size());
    stats.dispatched.addAndGet(-tasks.size());
    for (InFlightMessage task : tasks) {
      release(task);
      if (task.groupId != null) {
        groups.releaseGroup(task.groupId).forEach(this::release); // SQS keeps the group's order
      }
    }
    maybePoll();
  }

  /**
   * Credits are this poller's share of the live worker slots: tasks at workers, tasks waiting for their FIFO group or
   * for a live worker, and messages being received. Messages whose outcome is
   * being written to SQS no longer hold a slot, but they are bounded too (at most one capacity's worth),
   * so a stalled SQS stops receiving instead of piling messages up in memory. Where rate budgets apply, credits
   * are also bounded by what the budgets can start within the admission horizon: at the limit, receives slow
   * down instead of messages waiting in memory.
   */
  private int freeCredits() {
    int waiting = dispatches.total() + groups.held() + unassigned.size();
    int settling = inFlight.size() - waiting;
    if (stats.paused.get() || settling >= Math.max(1, capacity.share()) || throttled()) {
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

  /** A received message: run it, hold it behind its FIFO group, or (stopping, or done before) settle it at once. */
  private void accept(Message message) {
    InFlightMessage task = new InFlightMessage(message);
    inFlight.put(task.receiptHandle, task);
    keeper.track(task.receiptHandle);
    stats.received.increment();
    stats.inFlight.incrementAndGet();
    if (stopping || stats.paused.get()) {
      release(task); // a receive that was under way when polling stopped: nothing new starts
    } else if (completed.contains(task.messageId)) {
      LOG.info("message {} came back after its result was stored; deleting it without a second LLM call",
          task.messageId);
      settler.settle(task, TaskOutcome.alreadyDone()).otherwise(Settlement.RETURNED)
          .onSuccess(settlement -> finish(task, TaskOutcome.alreadyDone(), settlement));
    } else if (groups.admit(task)) {
      dispatch(task);
    }
  }

  /**
   * Sends the task to the live worker with the most free slots of this poller's share (or holds it until one is
   * live).
   */
  private void dispatch(InFlightMessage task) {
    String worker = capacity.pick(dispatches::at);
    if (worker == null) {
      unassigned.addLast(task);
      return;
    }
    dispatches.add(worker, task);
    capacity.dispatched();
    stats.peakDispatched.accumulateAndGet(stats.dispatched.incrementAndGet(), Math::max);
    TaskEnvelope envelope = new TaskEnvelope(task.messageId, task.body, task.receiveCount);
    vertx.eventBus().<JsonObject>request(Addresses.tasksFor(worker), envelope.toJson(), taskDelivery)
        .onComplete(ar -> answered(task, ar.succeeded() ? TaskOutcome.fromJson(ar.result().body()) : null, ar.cause()));
  }

  /** The worker slot is free again; the message itself stays ours until it is settled in SQS. */
  private void answered(InFlightMessage task, TaskOutcome reply, Throwable error) {
    if (!dispatches.remove(task)) {
      LOG.debug("message {} answered by worker {} after it was taken back; the answer is ignored", task.messageId,
          task.worker);
      return;
    }
    stats.dispatched.decrementAndGet();
    if (workerStopped(reply, error) && !task.released && !stopping && task.redirects < MAX_REDIRECTS) {
      task.redirects++;
      capacity.forget(task.worker); // it stopped since it last announced itself: try another worker now
      dispatch(task);
    } else if (!task.released) {
      TaskOutcome outcome = reply != null ? reply
          : TaskOutcome.retry(null, dispatchCode(error), String.valueOf(error.getMessage()), 0);
      settler.settle(task, outcome).otherwise(Settlement.RETURNED)
          .onSuccess(settlement -> finish(task, outcome, settlement));
    }
    maybePoll();
  }

  /**
   * The worker did not run the task because it is stopping (scaled down, its node shutting down): it answered
   * "released", or its address was gone or no longer taking messages. A timeout is not such a case.
   */
  private static boolean workerStopped(TaskOutcome reply, Throwable error) {
    if (reply != null) {
      return reply.kind() == TaskOutcome.Kind.RELEASED;
    }
    return error instanceof ReplyException e && e.failureType() != ReplyFailure.TIMEOUT;
  }

  private static String dispatchCode(Throwable error) {
    if (error instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case TIMEOUT -> "task_timeout";
        case NO_HANDLERS -> "no_worker";
        default -> "worker_failed";
      };
    }
    return "worker_failed";
  }

  private void finish(InFlightMessage task, TaskOutcome outcome, Settlement settlement) {
    if (task.released) {
      return;
    }
    forget(task);
    switch (settlement) {
      case SUCCEEDED -> {
        stats.succeeded.increment();
        completed.add(task.messageId);
        if (outcome.kind() == TaskOutcome.Kind.SUCCEEDED) {
          stats.recordSettled(task.endToEndMs(), outcome.llmMs(), outcome.provider(), outcome.model());
        }
      }
      case DEAD_LETTERED -> {
        stats.deadLettered.increment();
        stats.failures.record(FailureLog.Kind.DEAD_LETTERED, outcome.customId(), 0, outcome.code(),
            outcome.reason(), outcome.provider(), outcome.model());
      }
      case RETURNED -> stats.returned.increment();
    }
    if (tally != null && outcome.kind() == TaskOutcome.Kind.RELEASED) {
      tally.released++;
      tally.cutShort += hurried ? 1 : 0; // a worker gives a running task back only when told to hurry
    } else if (tally != null) {
      tally.settled(settlement);
    }
    if (task.groupId != null && outcome.kind() != TaskOutcome.Kind.ALREADY_DONE) {
      nextInGroup(task, settlement); // an already-done message never held its group
    }
    if (stopping && inFlight.isEmpty() && drained != null) {
      drained.tryComplete();
    }
    maybePoll();
  }

  /** FIFO: the group goes on with its next task, or, if this one went back to SQS, gives the rest back too. */
  private void nextInGroup(InFlightMessage task, Settlement settlement) {
    if (settlement == Settlement.RETURNED) {
      groups.releaseGroup(task.groupId).forEach(this::release);
      return;
    }
    InFlightMessage next = groups.next(task.groupId);
    if (next != null) {
      if (stopping) {
        release(next);
      } else {
        dispatch(next);
      }
    }
  }

  private void forget(InFlightMessage task) {
    inFlight.remove(task.receiptHandle);
    keeper.untrack(task.receiptHandle);
    stats.inFlight.decrementAndGet();
  }

  /** Gives a message back to SQS at once (visibility 0) and counts it as returned. */
  private Future<Settlement> release(InFlightMessage task) {
    task.released = true;
    forget(task);
    stats.returned.increment();
    if (tally != null) {
      tally.released++;
    }
    Future<Settlement> done = settler.returnNow(task);
    if (stopping) {
      releases.add(done);
    }
    return done;
  }

  /**
   * Graceful stop: receive nothing more; messages held for their FIFO group go back at once; running tasks
   * settle within the grace period (or until "hurry"); what is left goes back to SQS; batches are flushed.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    tally = new ShutdownTally(inFlight.size());
    Future<Void> receivesDone = receiver.stop();
    groups.releaseAll().forEach(this::release);
    unassigned.forEach(this::release);
    unassigned.clear();
    drained = Promise.promise();
    if (inFlight.isEmpty()) {
      drained.complete();
    } else if (hurryRequested) {
      hurry();
    }
    long timer = vertx.setTimer(Math.max(1, config.shutdown().graceSeconds()) * 1000L, id -> drained.tryComplete());
    return drained.future()
        .onComplete(ar -> vertx.cancelTimer(timer))
        .compose(v -> receivesDone)
        .compose(v -> releaseUnfinished())
        .compose(v -> Future.join(releases))
        .compose(v -> flushAll())
        .onComplete(ar -> LOG.info("shutdown: {}", tally.summary()))
        .onComplete(ar -> keeper.stop())
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

  private Future<Void> releaseUnfinished() {
    tally.cutShort += dispatches.total();
    List<Future<Settlement>> released = List.copyOf(inFlight.values()).stream().map(this::release).toList();
    return Future.join(released).mapEmpty();
  }

  private Future<Void> flushAll() {
    return Future.join(batchers.results().flushAll(), batchers.deadLetters().flushAll(),
        batchers.deletes().flushAll(), batchers.visibility().flushAll()).mapEmpty();
  }
}
