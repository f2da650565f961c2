package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class GroupSequencerTest {
  private final GroupSequencer groups = new GroupSequencer();
  private int ids;

  private InFlightMessage in(String group) {
    int id = ids++;
    Message.Builder m = Message.builder().messageId("m" + id).receiptHandle("r" + id).body("{}");
    if (group != null) {
      m.attributes(Map.of(MessageSystemAttributeName.MESSAGE_GROUP_ID, group));
    }
    return new InFlightMessage(m.build());
  }

  @Test
  @DisplayName("one task per group runs; the others wait in receive order and come out one by one")
  void oneAtATimeInOrder() {
    InFlightMessage a1 = in("a");
    InFlightMessage a2 = in("a");
    InFlightMessage a3 = in("a");
    InFlightMessage b1 = in("b");
    assertTrue(groups.admit(a1));
    assertFalse(groups.admit(a2));
    assertFalse(groups.admit(a3));
    assertTrue(groups.admit(b1), "another group runs in parallel");
    assertTrue(groups.admit(in(null)), "no group: always runs");
    assertEquals(2, groups.held());
    assertSame(a2, groups.next("a"));
    assertSame(a3, groups.next("a"));
    assertNull(groups.next("a"));
    assertEquals(0, groups.held());
    assertTrue(groups.admit(in("a")), "the group is free again");
  }

  @Test
  @DisplayName("a group whose running task went back gives back everything behind it; a stop gives back all")
  void releases() {
    groups.admit(in("a"));
    InFlightMessage a2 = in("a");
    groups.admit(a2);
    groups.admit(in("b"));
    InFlightMessage b2 = in("b");
    groups.admit(b2);
    assertEquals(List.of(a2), groups.releaseGroup("a"));
    assertEquals(1, groups.held());
    assertTrue(groups.admit(in("a")), "the group starts over with the next receive");
    assertEquals(List.of(b2), groups.releaseAll());
    assertEquals(0, groups.held());
  }
}
