package dev.llmworker.poller;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tasks this poller has at each worker instance: what its credits count, and what it takes back from a lost
 * worker.
 */
final class Dispatches {
  private final Map<String, Set<InFlightMessage>> byWorker = new HashMap<>();
  private int total;

  void add(String worker, InFlightMessage task) {
    task.worker = worker;
    byWorker.computeIfAbsent(worker, k -> new HashSet<>()).add(task);
    total++;
  }

  /** False when the task was not at its worker any more (taken back when the worker was lost). */
  boolean remove(InFlightMessage task) {
    Set<InFlightMessage> tasks = byWorker.get(task.worker);
    if (tasks == null || !tasks.remove(task)) {
      return false;
    }
    if (tasks.isEmpty()) {
      byWorker.remove(task.worker);
    }
    total--;
    return true;
  }

  int at(String worker) {
    Set<InFlightMessage> tasks = byWorker.get(worker);
    return tasks == null ? 0 : tasks.size();
  }

  int total() {
    return total;
  }

  /** Every task at the worker (an unmodifiable list); their answers, should any still come, are ignored. */
  List<InFlightMessage> takeBack(String worker) {
    Set<InFlightMessage> tasks = byWorker.remove(worker);
    if (tasks == null) {
      return List.of();
    }
    total -= tasks.size();
    return List.copyOf(tasks);
  }
}
