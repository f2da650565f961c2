package dev.llmworker.worker;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.bus.BusCodecs;
import dev.llmworker.bus.CapacityAnnouncement;
import dev.llmworker.bus.ShutdownPhase;
import dev.llmworker.bus.TaskCancel;
import dev.llmworker.monitor.NodeStats;
import dev.llmworker.provider.LlmProvider;
import dev.llmworker.provider.ProviderFactory;
import dev.llmworker.task.Addresses;
import dev.llmworker.task.TaskEnvelope;
import dev.llmworker.task.TaskOutcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs up to {@code worker.concurrency} tasks at once. Announces its capacity (and how many of its tasks
 * wait on a retry backoff, and how many more the node's rate budgets can start soon) to pollers every second,
 * and at once when the budget room changes; pollers never send more than that. A task that arrives while all
 * slots are busy waits in a short local queue (at most {@code worker.concurrency} long: beyond that it is handed
 * back at once). Each running task has its deadline ({@code worker.taskTimeoutSeconds}), and its poller can cancel
 * it: it then makes no further attempt.
 */
public final class WorkerVerticle extends VerticleBase {
  static final long ANNOUNCE_MS = 1000;
  static final long ROOM_CHECK_MS = 100;
  /**
   * In a cluster, a stopping instance keeps answering ("released") this long after its drain began: a task a poller
   * on another node sent before it heard of the drain would otherwise reach an address with no consumer, and
   * nothing would answer it until the poller gave up on the silent worker. An instance that was sent nothing in the
   * last seconds (an idle node) does not wait.
   */
  static final long LINGER_MS = 1000;

  private final LlmwConfig config;
  private final NodeStats stats;
  private final NodeLlm llm;
  private final String workerId = UUID.randomUUID().toString();
  private final ArrayDeque<Message<TaskEnvelope>> waiting = new ArrayDeque<>();
  private final Promise<Void> drained = Promise.promise();
  private Map<String, LlmProvider> providers;
  private TaskRunner runner;
  private final Map<String, TaskControl> controls = new HashMap<>();
  private MessageConsumer<TaskEnvelope> consumer;
  private MessageConsumer<TaskCancel> cancels;
  private MessageConsumer<JsonObject> queries;
  private MessageConsumer<ShutdownPhase> shutdown;
  private long announcer;
  private long roomChecker;
  private long announcedRoom = Long.MIN_VALUE;
  private int running;
  private boolean stopping;
  private long drainStartedAt;
  private long lastTaskAt;

  public WorkerVerticle(LlmwConfig config, NodeStats stats, NodeLlm llm) {
    this.config = config;
    this.stats = stats;
    this.llm = llm;
  }

  @Override
  public Future<?> start() {
    BusCodecs.ensure(vertx);
    providers = ProviderFactory.createAll(vertx, config);
    runner = new TaskRunner(vertx, providers, llm, config.retry(), stats);
    consumer = vertx.eventBus().consumer(Addresses.tasksFor(workerId), this::onTask);
    cancels = vertx.eventBus().consumer(Addresses.cancelFor(workerId), m -> cancel(m.body().messageId()));
    queries = vertx.eventBus().consumer(Addresses.CAPACITY_QUERY, m -> announce());
    shutdown = vertx.eventBus().localConsumer(Addresses.SHUTDOWN, m -> onShutdown(m.body()));
    stats.workerInstances.incrementAndGet();
    return Future.join(consumer.completion(), cancels.completion(), queries.completion(), shutdown.completion())
        .onSuccess(v -> {
      announce();
      announcer = vertx.setPeriodic(ANNOUNCE_MS, id -> announce());
      roomChecker = vertx.setPeriodic(ROOM_CHECK_MS, id -> announceIfRoomChanged());
    });
  }

  private void announce() {
    announce(budgetRoom());
  }

  private void announce(long room) {
    int capacity = stopping ? 0 : config.worker().concurrency();
    announcedRoom = room;
    vertx.eventBus().publish(Addresses.CAPACITY, new CapacityAnnouncement(workerId, stats.nodeId(), capacity,
        runner.backingOff(), announcedRoom));
  }

  /** Tasks the node's rate budgets can start within the admission horizon beyond those waiting; -1 unlimited. */
  private long budgetRoom() {
    return llm.budgets().room(config.poller().admissionHorizonMs());
  }

  private void announceIfRoomChanged() {
    long room = budgetRoom();
    if (room != announcedRoom) {
      announce(room);
    }
  }

  private void onTask(Message<TaskEnvelope> message) {
    lastTaskAt = System.currentTimeMillis();
    if (stopping) {
      message.reply(TaskOutcome.released());
    } else if (running < config.worker().concurrency()) {
      run(message);
    } else if (waiting.size() < config.worker().concurrency()) {
      waiting.addLast(message);
    } else {
      // more than this instance can start soon (a poller counted a slot free that a given-back task still holds)
      message.reply(TaskOutcome.givenBack("worker_busy", "every slot of worker " + workerId + " is taken"));
    }
  }

  /** The poller gave the task back: a waiting one is answered now, a running one makes no further attempt. */
  private void cancel(String messageId) {
    TaskControl control = controls.get(messageId);
    if (control != null) {
      control.cancel();
      return;
    }
    waiting.removeIf(m -> {
      boolean match = messageId != null && messageId.equals(m.body().messageId());
      if (match) {
        m.reply(TaskOutcome.givenBack("cancelled", "given back by its poller"));
      }
      return match;
    });
  }

  private void run(Message<TaskEnvelope> message) {
    running++;
    stats.workerBusy.incrementAndGet();
    TaskEnvelope envelope = message.body();
    TaskControl control = new TaskControl(config.worker().taskTimeoutSeconds() * 1000L);
    controls.put(envelope.messageId(), control);
    runner.run(envelope, control)
        .onComplete(ar -> controls.remove(envelope.messageId()))
        .onComplete(ar -> finished(message, ar.succeeded() ? ar.result()
            : TaskOutcome.retry(null, "worker_error", String.valueOf(ar.cause()), 0)));
  }

  private void finished(Message<TaskEnvelope> message, TaskOutcome outcome) {
    running--;
    stats.workerBusy.decrementAndGet();
    message.reply(outcome);
    Message<TaskEnvelope> next = stopping ? null : waiting.pollFirst();
    if (next != null) {
      run(next);
    } else if (running == 0 && stopping) {
      drained.tryComplete();
    }
  }

  /** drain: take nothing more and hand back what has not started; hurry: stop waiting for running tasks. */
  private void onShutdown(ShutdownPhase phase) {
    if (phase == ShutdownPhase.HURRY) {
      drained.tryComplete();
      return;
    }
    if (!stopping) {
      stopping = true;
      drainStartedAt = System.currentTimeMillis();
      announce();
      waiting.forEach(m -> m.reply(TaskOutcome.released()));
      waiting.clear();
      if (running == 0) {
        drained.tryComplete();
      }
    }
  }

  private Future<Void> lingerForLateTasks() {
    long now = System.currentTimeMillis();
    long left = drainStartedAt + LINGER_MS - now;
    boolean busyLately = now - lastTaskAt < 2 * LINGER_MS;
    return !vertx.isClustered() || !busyLately || left <= 0 ? Future.succeededFuture()
        : vertx.timer(left, TimeUnit.MILLISECONDS).mapEmpty();
  }

  /** Completes once this instance takes no more tasks and those it ran have been answered (or hurried back). */
  public Future<Void> drained() {
    return drained.future();
  }

  /**
   * Stops taking tasks, hands waiting ones back, and lets running ones finish within the grace period. It goes on
   * announcing itself (with capacity 0) until they have: pollers take back the tasks of a worker that falls silent.
   */
  @Override
  public Future<?> stop() {
    onShutdown(ShutdownPhase.DRAIN);
    vertx.cancelTimer(roomChecker);
    stats.workerInstances.decrementAndGet();
    long grace = Math.max(1, config.shutdown().graceSeconds()) * 1000L;
    long timer = vertx.setTimer(grace, id -> drained.tryComplete());
    // the consumer stays until the running tasks are done: a task a poller sent before it heard of the stop is
    // answered "released" (and goes to another worker) instead of being dropped by an unregistered address
    return drained.future()
        .onComplete(ar -> vertx.cancelTimer(timer))
        .onComplete(ar -> vertx.cancelTimer(announcer))
        .compose(v -> lingerForLateTasks())
        .compose(v -> Future.join(consumer.unregister(), cancels.unregister(), queries.unregister(),
            shutdown.unregister()))
        .compose(v -> ProviderFactory.closeAll(providers));
  }
}
