package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.monitor.NodeStats;
import dev.llmworker.poller.MessageLedger.State;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The settle side's transition table and its invariant, without SQS: fast and deterministic. */
class MessageLedgerTest {
  private final NodeStats stats = new NodeStats("n1", List.of("poller"));
  private final MessageLedger ledger = new MessageLedger(stats);
  private int ids;

  private InFlightMessage received() {
    int id = ids++;
    return ledger.receive(Message.builder().messageId("m" + id).receiptHandle("r" + id).body("{}")
        .attributes(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")).build());
  }

  @Test
  @DisplayName("every state may move only where the table allows; a refused move changes nothing")
  void transitionTable() {
    for (State from : State.values()) {
      for (State to : State.values()) {
        InFlightMessage m = received();
        placeIn(m, from);
        boolean allowed = MessageLedger.NEXT.get(from).contains(to);
        assertEquals(allowed, ledger.move(m, to), from + " -> " + to);
        assertEquals(allowed ? to : from, m.state);
        assertTrue(ledger.balanced());
      }
    }
    assertFalse(ledger.move(received(), State.RECEIVED), "no way back to RECEIVED");
  }

  private void placeIn(InFlightMessage m, State state) {
    if (state == State.RECEIVED) {
      return;
    }
    if (state == State.SETTLING) {
      ledger.move(m, State.AT_WORKER);
    }
    assertTrue(ledger.move(m, state), "placing in " + state);
  }

  @Test
  @DisplayName("received = succeeded + dead_lettered + returned + requeued + in_flight, and a message ends once")
  void endsOnce() {
    InFlightMessage a = received();
    InFlightMessage b = received();
    InFlightMessage c = received();
    InFlightMessage d = received();
    received();
    ledger.move(a, State.AT_WORKER);
    assertEquals(1, stats.dispatched.get());
    ledger.move(a, State.SETTLING);
    assertEquals(0, stats.dispatched.get());
    assertTrue(ledger.end(a, Settlement.SUCCEEDED));
    assertFalse(ledger.end(a, Settlement.RETURNED), "a second ending is refused");
    assertFalse(ledger.move(a, State.SETTLING), "an ended message does not move");
    assertNull(a.state);
    ledger.end(b, Settlement.DEAD_LETTERED);
    ledger.move(c, State.AT_WORKER);
    ledger.end(c, Settlement.REQUEUED);
    assertEquals(0, stats.dispatched.get(), "ending at a worker frees the slot");
    ledger.end(d, Settlement.RETURNED);

    assertTrue(ledger.balanced());
    assertEquals(5, stats.received.sum());
    assertEquals(1, stats.succeeded.sum());
    assertEquals(1, stats.deadLettered.sum());
    assertEquals(1, stats.returned.sum());
    assertEquals(1, stats.requeued.sum());
    assertEquals(1, stats.inFlight.get());
    assertEquals(1, ledger.open());
    assertEquals(1, ledger.inState(State.RECEIVED));
    assertEquals(1, stats.peakDispatched.get());
  }

  @Test
  @DisplayName("a late answer for a message given back is refused: it is SETTLING or ended, and SETTLING is final")
  void lateAnswer() {
    InFlightMessage m = received();
    ledger.move(m, State.AT_WORKER);
    assertTrue(ledger.move(m, State.SETTLING), "given back by a stop");
    assertFalse(ledger.move(m, State.SETTLING), "the worker's late answer");
    ledger.end(m, Settlement.REQUEUED);
    assertFalse(ledger.move(m, State.SETTLING));
    assertTrue(ledger.balanced());
  }
}
