package dev.llmworker.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PeerTableTest {
  @Test
  @DisplayName("a peer silent for longer than the expiry drops out, with when it was last heard; an update is not "
      + "hearing from it")
  void expiry() {
    PeerTable<Integer> peers = new PeerTable<>(1000);
    assertTrue(peers.heard("a", 1, 0));
    assertFalse(peers.heard("a", 2, 500), "known already");
    assertTrue(peers.heard("b", 3, 100));
    assertEquals(4, peers.update("b", v -> v + 1));
    assertNull(peers.update("nobody", v -> v));

    assertEquals(Map.of(), peers.expire(1100), "b was heard at 100: 1000 ms is not more than the expiry");
    assertEquals(Map.of("b", 100L), peers.expire(1101));
    assertEquals(List.of("a"), peers.ids());
    assertEquals(2, peers.get("a"));
    assertEquals(Map.of("a", 500L), peers.expire(1501));
    assertEquals(0, peers.size());
  }
}
