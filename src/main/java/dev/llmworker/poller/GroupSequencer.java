package dev.llmworker.poller;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * FIFO queues: at most one task per MessageGroupId runs at a time, the others wait here in receive order.
 * Messages without a group (standard queues) always run at once.
 */
final class GroupSequencer {
  private final Map<String, ArrayDeque<InFlightMessage>> waiting = new HashMap<>();
  private int held;

  /** True when the message may run now; otherwise it is held behind the running task of its group. */
  boolean admit(InFlightMessage message) {
    if (message.groupId == null) {
      return true;
    }
    ArrayDeque<InFlightMessage> queue = waiting.get(message.groupId);
    if (queue == null) {
      waiting.put(message.groupId, new ArrayDeque<>());
      return true;
    }
    queue.addLast(message);
    held++;
    return false;
  }

  /** The group's running task is done for good: the next one of the group, or null. */
  InFlightMessage next(String groupId) {
    ArrayDeque<InFlightMessage> queue = waiting.get(groupId);
    if (queue == null) {
      return null;
    }
    InFlightMessage next = queue.pollFirst();
    if (next == null) {
      waiting.remove(groupId);
    } else {
      held--;
    }
    return next;
  }

  /** The group's running task went back to SQS: the ones behind it must go back too, SQS keeps their order. */
  List<InFlightMessage> releaseGroup(String groupId) {
    ArrayDeque<InFlightMessage> queue = waiting.remove(groupId);
    if (queue == null) {
      return List.of();
    }
    held -= queue.size();
    return new ArrayList<>(queue);
  }

  /** Messages received but waiting for their group. */
  int held() {
    return held;
  }

  List<InFlightMessage> releaseAll() {
    List<InFlightMessage> all = new ArrayList<>();
    waiting.values().forEach(all::addAll);
    waiting.clear();
    held = 0;
    return all;
  }
}
