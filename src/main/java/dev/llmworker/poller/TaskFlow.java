package dev.llmworker.poller;

import dev.llmworker.batch.BatchStops;
import dev.llmworker.monitor.FailureLog;
import dev.llmworker.monitor.NodeStats;
import dev.llmworker.poller.MessageLedger.State;
import dev.llmworker.sqs.DeadLetter;
import dev.llmworker.sqs.VisibilityKeeper;
import dev.llmworker.task.TaskOutcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * One received message from its arrival to its settlement: run it at a worker (one at a time per FIFO group), settle
 * its outcome in SQS, or give it back. Every step is a {@link MessageLedger} transition.
 */
final class TaskFlow {
  private static final Logger LOG = LoggerFactory.getLogger(TaskFlow.class);

  private final MessageLedger ledger;
  private final WorkerDispatcher workers;
  private final OutcomeSettler settler;
  private final VisibilityKeeper keeper;
  private final NodeStats stats;
  /** Called whenever credits may have freed up: a task left its worker, or a message ended. */
  private final Runnable creditsChanged;
  /** Batch API lines whose batch was cancelled or has expired are not run. */
  private final BatchStops batchStops;
  private final GroupSequencer groups = new GroupSequencer();
  private final CompletedMessages completed = new CompletedMessages();
  private boolean stopping;
  private boolean hurried;
  private ShutdownTally tally;
  private Promise<Void> empty;

  TaskFlow(MessageLedger ledger, WorkerDispatcher workers, OutcomeSettler settler, VisibilityKeeper keeper,
      NodeStats stats, Runnable creditsChanged, BatchStops batchStops) {
    this.batchStops = batchStops;
    this.ledger = ledger;
    this.workers = workers;
    this.settler = settler;
    this.keeper = keeper;
    this.stats = stats;
    this.creditsChanged = creditsChanged;
  }

  /** A received message: run it, hold it behind its FIFO group, or (stopping, paused, done before) settle it now. */
  void accept(Message message) {
    InFlightMessage task = ledger.receive(message);
    keeper.track(task.receiptHandle);
    if (stopping || stats.paused.get()) {
      settle(task, TaskOutcome.givenBack("not_started", stopping ? "node stopping" : "polling paused"));
    } else if (completed.contains(task.messageId)) {
      LOG.info("message {} came back after its result was stored; deleting it without a second LLM call",
          task.messageId);
      settle(task, TaskOutcome.alreadyDone());
    } else {
      String batchStop = batchStops.stopCode(task.attributes);
      if (batchStop != null) {
        settle(task, TaskOutcome.skipped(DeadLetter.customIdOf(task.body), batchStop, BatchStops.reason(batchStop)));
      } else if (groups.admit(task)) {
        run(task);
      } else {
        ledger.move(task, State.HELD_FOR_GROUP);
      }
    }
  }

  private void run(InFlightMessage task) {
    workers.run(task).onSuccess(outcome -> settle(task, outcome));
  }

  /** Settles the outcome in SQS; an outcome for a message that has moved on already is ignored. */
  private void settle(InFlightMessage task, TaskOutcome outcome) {
    if (!ledger.move(task, State.SETTLING)) {
      LOG.debug("message {}: outcome {} ignored, the message was given back already", task.messageId, outcome.kind());
      return;
    }
    settler.settle(task, outcome).otherwise(Settlement.RETURNED)
        .onSuccess(settlement -> finish(task, outcome, settlement));
    creditsChanged.run(); // its worker slot is free now, while its outcome is still being written
  }

  private void finish(InFlightMessage task, TaskOutcome outcome, Settlement settlement) {
    if (!ledger.end(task, settlement)) {
      return;
    }
    keeper.untrack(task.receiptHandle);
    record(task, outcome, settlement);
    if (task.groupId != null && outcome.kind() != TaskOutcome.Kind.ALREADY_DONE) {
      nextInGroup(task, settlement); // an already-done message never held its group
    }
    if (empty != null && ledger.open() == 0) {
      empty.tryComplete();
    }
    creditsChanged.run();
  }

  private void record(InFlightMessage task, TaskOutcome outcome, Settlement settlement) {
    if (settlement == Settlement.SUCCEEDED) {
      completed.add(task.messageId);
      if (outcome.kind() == TaskOutcome.Kind.SUCCEEDED) {
        stats.recordSettled(task.endToEndMs(), outcome.llmMs(), outcome.provider(), outcome.model(),
            outcome.endpoint());
      }
    } else if (settlement == Settlement.DEAD_LETTERED) {
      stats.failures.record(FailureLog.Kind.DEAD_LETTERED, outcome.customId(), 0, outcome.code(), outcome.reason(),
          outcome.provider(), outcome.model());
    }
    if (tally != null) {
      // a worker gives a running task back ("released") only when told to hurry
      boolean cut = task.cutShort || hurried && "released".equals(outcome.code());
      tally.settled(settlement, outcome.kind() == TaskOutcome.Kind.RELEASED, cut);
    }
  }

  /** FIFO: the group goes on with its next task, or, if this one went back to the queue, gives the rest back too. */
  private void nextInGroup(InFlightMessage task, Settlement settlement) {
    if (settlement == Settlement.RETURNED || settlement == Settlement.REQUEUED) {
      groups.releaseGroup(task.groupId).forEach(this::giveBack);
      return;
    }
    InFlightMessage next = groups.next(task.groupId);
    if (next != null && stopping) {
      giveBack(next);
    } else if (next != null) {
      run(next);
    }
  }

  private void giveBack(InFlightMessage task) {
    settle(task, TaskOutcome.givenBack("not_started", "given back with its group"));
  }

  /** A stop begins: nothing new starts; what waits for its group or for a worker goes back now. */
  void stop() {
    stopping = true;
    tally = new ShutdownTally(ledger.open());
    groups.releaseAll().forEach(this::giveBack);
    workers.stop();
  }

  /** Completes when no message is open any more. */
  Future<Void> empty() {
    if (ledger.open() == 0) {
      return Future.succeededFuture();
    }
    if (empty == null || empty.future().isComplete()) {
      empty = Promise.promise();
    }
    return empty.future();
  }

  /**
   * SQS will not keep this message invisible much longer (12 hours after its receive): a task not started yet goes
   * back to the queue (a new receive starts a new 12 hours); a running one is cancelled at its worker and
   * dead-lettered with code {@code visibility_limit}.
   */
  void atVisibilityLimit(String receiptHandle) {
    InFlightMessage task = ledger.find(receiptHandle);
    if (task == null || task.state == State.SETTLING) {
      return;
    }
    if (task.state != State.AT_WORKER) {
      settle(task, TaskOutcome.givenBack("visibility_limit", "waited until SQS's 12-hour visibility limit"));
      return;
    }
    workers.cancel(task);
    settle(task, TaskOutcome.retry(DeadLetter.customIdOf(task.body), "visibility_limit", "still running when "
        + "SQS's limit for keeping a message invisible (12 hours after its receive) came near", 0));
  }

  /** The grace period is over: every message still running goes back to the queue; their answers are ignored. */
  void giveBackUnfinished() {
    for (InFlightMessage task : ledger.openMessages()) {
      if (task.state != State.SETTLING) {
        task.cutShort = task.state == State.AT_WORKER;
        if (task.cutShort) {
          workers.cancel(task);
        }
        settle(task, TaskOutcome.givenBack("cut_short", "the stop's grace period ended"));
      }
    }
  }

  /** A second signal: workers give back what they run; count those as cut short. */
  void hurried() {
    hurried = true;
  }

  ShutdownTally tally() {
    return tally;
  }

  /** Tasks waiting for their FIFO group. */
  int heldForGroups() {
    return groups.held();
  }
}
