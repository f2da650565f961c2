package dev.llmworker.task;

/** Every event-bus address llm-worker uses. */
public final class Addresses {
  /**
   * Poller → one worker instance ({@link #tasksFor}): one request per task ({@link TaskEnvelope}), answered with a
   * {@link TaskOutcome}.
   */
  private static final String TASKS = "llmw.tasks.";
  /**
   * Poller → one worker instance ({@link #cancelFor}): {@code {"message_id"}}, the poller gave that task back (its
   * deadline passed, the worker was silent, a stop cut it short): make no further attempt.
   */
  private static final String CANCEL = "llmw.cancel.";
  /**
   * Workers → pollers: each worker instance's announcement once a second ({@code {"worker","node","capacity",
   * "running","backing_off","budget_room"}}); capacity 0 while it drains.
   */
  public static final String CAPACITY = "llmw.capacity";
  /** Pollers → pollers: {@code {"poller","gone"}} once a second, so pollers split the worker slots between them. */
  public static final String POLLERS = "llmw.pollers";
  /** Pollers → workers: "announce your capacity now" (sent when a poller starts). */
  public static final String CAPACITY_QUERY = "llmw.capacity.query";
  /**
   * Node → its own verticles (local only): {@code {"phase":"drain"}} at the start of a stop (workers take no
   * more tasks and hand back the ones not started), {@code {"phase":"hurry"}} when the grace period is over or
   * a second SIGTERM came (stop waiting for running tasks).
   */
  public static final String SHUTDOWN = "llmw.shutdown";
  /** Every node → monitors: a stats snapshot about once a second. */
  public static final String STATS = "llmw.stats";
  /**
   * Every worker node → every worker node: how much each node wants of each rate budget
   * ({@code {"node","weights":{key: weight}}}), twice a second, so the nodes split one budget between them.
   */
  public static final String BUDGET_DEMAND = "llmw.budget.demand";

  /** Monitor → every poller: {@code {"paused":true|false}} (dashboard pause/resume). */
  public static final String CONTROL_POLLING = "llmw.control.polling";
  /**
   * Monitor → one node ({@link #controlWorkers}): {@code {"instances":N}}, answered with the node's new count of
   * worker instances once they are deployed or undeployed.
   */
  private static final String CONTROL_WORKERS = "llmw.control.workers.";
  /** Monitor → every worker node: {@code {"provider","model"|null,"rpm","tpm"}}, a new configured budget. */
  public static final String CONTROL_BUDGETS = "llmw.control.budgets";

  private Addresses() {}

  public static String tasksFor(String workerId) {
    return TASKS + workerId;
  }

  public static String cancelFor(String workerId) {
    return CANCEL + workerId;
  }

  public static String controlWorkers(String nodeId) {
    return CONTROL_WORKERS + nodeId;
  }
}
