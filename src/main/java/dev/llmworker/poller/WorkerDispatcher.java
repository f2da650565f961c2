package dev.llmworker.poller;

import dev.llmworker.bus.TaskCancel;
import dev.llmworker.monitor.NodeStats;
import dev.llmworker.poller.MessageLedger.State;
import dev.llmworker.task.Addresses;
import dev.llmworker.task.TaskEnvelope;
import dev.llmworker.task.TaskOutcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks at worker instances: sends each to the live worker with the most free slots of this poller's share (or
 * holds it until one is live), and completes with the worker's outcome, or with why there is none (a worker that
 * stopped under it, went silent, or overran its deadline). The worker owns a task's deadline
 * ({@code worker.taskTimeoutSeconds}); the backstop here only catches a worker that never answers. A task given back
 * is cancelled at its worker, and until that worker answers it still counts against the worker's slots, so a
 * poller never counts a slot free that a given-back task still holds.
 */
final class WorkerDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerDispatcher.class);
  /** Sent on to another worker at most this often when workers stop under it; then it goes back to SQS. */
  private static final int MAX_REDIRECTS = 3;

  private final Vertx vertx;
  private final CapacityTracker capacity;
  private final MessageLedger ledger;
  private final NodeStats stats;
  private final DeliveryOptions delivery;
  private final long backstopMs;
  private final Dispatches dispatches = new Dispatches();
  /** Received while no worker was live: sent as soon as one announces itself. */
  private final ArrayDeque<InFlightMessage> unassigned = new ArrayDeque<>();
  private final Map<InFlightMessage, Promise<TaskOutcome>> answers = new HashMap<>();
  private boolean stopping;

  /** @param backstopMs how long a worker may go without answering a task before the task is given back anyway */
  WorkerDispatcher(Vertx vertx, CapacityTracker capacity, MessageLedger ledger, NodeStats stats, long backstopMs) {
    this.vertx = vertx;
    this.capacity = capacity;
    this.ledger = ledger;
    this.stats = stats;
    this.backstopMs = backstopMs;
    // the request itself outlives the backstop: a late answer still frees the slot the task held
    this.delivery = new DeliveryOptions().setSendTimeout(backstopMs + 60_000);
  }

  /** The task's outcome; never fails. */
  Future<TaskOutcome> run(InFlightMessage task) {
    Promise<TaskOutcome> answer = Promise.promise();
    answers.put(task, answer);
    send(task);
    return answer.future();
  }

  private void send(InFlightMessage task) {
    String worker = capacity.pick(dispatches::at);
    if (worker == null) {
      ledger.move(task, State.WAITING_FOR_WORKER);
      unassigned.addLast(task);
      return;
    }
    dispatches.add(worker, task);
    ledger.move(task, State.AT_WORKER);
    capacity.dispatched();
    TaskEnvelope envelope = new TaskEnvelope(task.messageId, task.body, task.receiveCount);
    long backstop = vertx.setTimer(backstopMs, id -> overran(task, worker));
    vertx.eventBus().<TaskOutcome>request(Addresses.tasksFor(worker), envelope, delivery)
        .onComplete(ar -> vertx.cancelTimer(backstop))
        .onComplete(ar -> answered(task, ar.succeeded() ? ar.result().body() : null, ar.cause()));
  }

  /** The worker has not answered within the backstop: give the task back, and tell the worker to stop it. */
  private void overran(InFlightMessage task, String worker) {
    if (answers.containsKey(task) && worker.equals(task.worker)) {
      LOG.warn("message {}: worker {} has not answered within {} s; the task goes back to the queue", task.messageId,
          worker, backstopMs / 1000);
      cancel(task);
      complete(task, TaskOutcome.retry(null, "task_timeout", "no answer from worker " + worker + " within "
          + backstopMs / 1000 + " s", 0));
    }
  }

  /** Tells the task's worker to make no further attempt (a task given back, or cut short by a stop). */
  void cancel(InFlightMessage task) {
    if (task.worker != null) {
      vertx.eventBus().send(Addresses.cancelFor(task.worker), new TaskCancel(task.messageId));
    }
  }

  private void answered(InFlightMessage task, TaskOutcome reply, Throwable error) {
    boolean counted = dispatches.remove(task);
    if (!counted || !answers.containsKey(task)) {
      LOG.debug("message {} answered by worker {} after it was given back; the answer is ignored", task.messageId,
          task.worker);
      return;
    }
    if (workerStopped(reply, error) && !stopping && task.redirects < MAX_REDIRECTS
        && task.state == State.AT_WORKER) {
      task.redirects++;
      capacity.forget(task.worker); // it stopped since it last announced itself: try another worker now
      send(task);
      return;
    }
    complete(task, reply != null ? reply
        : TaskOutcome.retry(null, dispatchCode(error), String.valueOf(error.getMessage()), 0));
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

  /** Workers announced themselves: what waited for one goes out now. */
  void capacityChanged() {
    while (!stopping && !unassigned.isEmpty() && capacity.clusterTotal() > 0) {
      send(unassigned.pollFirst());
    }
  }

  /**
   * A worker went silent (its node died or hangs): the tasks it was running go back now, so another worker takes
   * them within seconds instead of after the task timeout. Should the worker be alive after all (a long pause), it
   * is told to stop them, and an answer it still sends is ignored.
   */
  void workerLost(String worker) {
    // given back before (a backstop): nothing left to do for those
    List<InFlightMessage> tasks = dispatches.takeBack(worker).stream().filter(answers::containsKey).toList();
    if (tasks.isEmpty()) {
      return;
    }
    LOG.warn("worker {} has been silent for {} ms: the {} tasks it was running go back to the queue now", worker,
        CapacityTracker.TAKE_BACK_MS, tasks.size());
    stats.recovered.add(tasks.size());
    tasks.forEach(this::cancel);
    tasks.forEach(t -> complete(t, TaskOutcome.givenBack("worker_lost", "worker " + worker + " went silent")));
  }

  /** Nothing new is sent; what waited for a worker is given back. */
  void stop() {
    stopping = true;
    unassigned.forEach(t -> complete(t, TaskOutcome.released()));
    unassigned.clear();
  }

  /** Tasks at workers now, including those given back that their worker has not answered yet. */
  int atWorkers() {
    return dispatches.total();
  }

  int waitingForWorker() {
    return unassigned.size();
  }

  int at(String worker) {
    return dispatches.at(worker);
  }

  private void complete(InFlightMessage task, TaskOutcome outcome) {
    Promise<TaskOutcome> answer = answers.remove(task);
    if (answer != null) {
      answer.complete(outcome);
    }
  }
}
