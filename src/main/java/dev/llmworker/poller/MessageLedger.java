package dev.llmworker.poller;

import dev.llmworker.monitor.NodeStats;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The poller's settle side as one state machine. Every received message is in exactly one {@link State} until it
 * ends in one {@link Settlement}; every transition goes through here and is checked against {@link #NEXT}, so
 * {@code received = succeeded + dead_lettered + returned + requeued + in_flight} holds by construction, and a late
 * answer for a message that has already moved on (given back by a stop, taken back from a lost worker) is refused.
 * Confined to the poller's event loop.
 */
final class MessageLedger {
  /** Where a received, unsettled message is. */
  enum State {
    /** Just received, not placed yet. */
    RECEIVED,
    /** Waiting for a live worker (none has announced itself yet). */
    WAITING_FOR_WORKER,
    /** FIFO: waiting behind the running task of its message group. */
    HELD_FOR_GROUP,
    /** Sent to a worker instance, no answer yet. */
    AT_WORKER,
    /** Its outcome is being written to SQS (result, dead letter, delete, return or requeue). */
    SETTLING
  }

  /** The allowed moves; ending (from any state) is {@link #end}. */
  static final Map<State, Set<State>> NEXT = new EnumMap<>(Map.of(
      State.RECEIVED, EnumSet.of(State.WAITING_FOR_WORKER, State.HELD_FOR_GROUP, State.AT_WORKER, State.SETTLING),
      State.WAITING_FOR_WORKER, EnumSet.of(State.AT_WORKER, State.SETTLING),
      State.HELD_FOR_GROUP, EnumSet.of(State.AT_WORKER, State.SETTLING),
      State.AT_WORKER, EnumSet.of(State.AT_WORKER, State.WAITING_FOR_WORKER, State.SETTLING),
      State.SETTLING, EnumSet.noneOf(State.class)));

  private final NodeStats stats;
  private final Map<String, InFlightMessage> open = new HashMap<>();
  private final int[] inState = new int[State.values().length];
  private final long[] ended = new long[Settlement.values().length];
  private long received;

  MessageLedger(NodeStats stats) {
    this.stats = stats;
  }

  InFlightMessage receive(Message message) {
    InFlightMessage m = new InFlightMessage(message);
    open.put(m.receiptHandle, m);
    m.state = State.RECEIVED;
    inState[State.RECEIVED.ordinal()]++;
    received++;
    stats.received.increment();
    stats.inFlight.incrementAndGet();
    return m;
  }

  /** Moves an open message to {@code to}; false (and nothing changes) when it has ended or may not go there. */
  boolean move(InFlightMessage m, State to) {
    State from = m.state;
    if (from == null || !NEXT.get(from).contains(to)) {
      return false;
    }
    inState[from.ordinal()]--;
    inState[to.ordinal()]++;
    m.state = to;
    if (to == State.AT_WORKER && from != State.AT_WORKER) {
      stats.peakDispatched.accumulateAndGet(stats.dispatched.incrementAndGet(), Math::max);
    } else if (from == State.AT_WORKER && to != State.AT_WORKER) {
      stats.dispatched.decrementAndGet();
    }
    return true;
  }

  /** Ends an open message; false when it had ended already (its second ending is ignored). */
  boolean end(InFlightMessage m, Settlement how) {
    State from = m.state;
    if (from == null) {
      return false;
    }
    if (from == State.AT_WORKER) {
      stats.dispatched.decrementAndGet();
    }
    inState[from.ordinal()]--;
    open.remove(m.receiptHandle);
    m.state = null;
    ended[how.ordinal()]++;
    stats.inFlight.decrementAndGet();
    switch (how) {
      case SUCCEEDED -> stats.succeeded.increment();
      case DEAD_LETTERED -> stats.deadLettered.increment();
      case RETURNED -> stats.returned.increment();
      case REQUEUED -> stats.requeued.increment();
    }
    return true;
  }

  /** The open message with this receipt handle, or null. */
  InFlightMessage find(String receiptHandle) {
    return open.get(receiptHandle);
  }

  int inState(State state) {
    return inState[state.ordinal()];
  }

  int open() {
    return open.size();
  }

  long received() {
    return received;
  }

  long ended(Settlement how) {
    return ended[how.ordinal()];
  }

  /** The open messages, in no particular order (a copy). */
  List<InFlightMessage> openMessages() {
    return new ArrayList<>(open.values());
  }

  /** The invariant, for tests and assertions: every received message is open or ended exactly once. */
  boolean balanced() {
    long sum = open.size();
    for (long n : ended) {
      sum += n;
    }
    int states = 0;
    for (int n : inState) {
      states += n;
    }
    return sum == received && states == open.size();
  }
}
