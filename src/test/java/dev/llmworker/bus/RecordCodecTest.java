package dev.llmworker.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.llmworker.task.TaskEnvelope;
import dev.llmworker.task.TaskOutcome;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every protocol message crosses the wire (between cluster nodes) unchanged, and is passed as is within a JVM. */
class RecordCodecTest {
  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T message) {
    RecordCodec<T> codec = new RecordCodec<>((Class<T>) message.getClass());
    Buffer wire = Buffer.buffer("prefix");
    codec.encodeToWire(wire, message);
    assertSame(message, codec.transform(message));
    return codec.decodeFromWire("prefix".length(), wire);
  }

  @Test
  @DisplayName("task envelope, outcome, cancel, capacity, heartbeat, budget demand and shutdown phase round-trip")
  void everyMessage() {
    List<Object> messages = List.of(
        new TaskEnvelope("m-1", "{\"custom_id\":\"é \\u0000 \uD83D\uDE00\"}", 3),
        TaskOutcome.retry("c-1", "provider_429", "slow down", 12),
        TaskOutcome.givenBack("worker_lost", "silent"),
        new TaskCancel("m-1"),
        new CapacityAnnouncement("w-1", "node-1", 50, 3, -1),
        new PollerHeartbeat("p-1", true),
        new BudgetDemand("node-1", Map.of("default/gpt", 7L, "other", 0L)),
        ShutdownPhase.HURRY);
    for (Object message : messages) {
      assertEquals(message, roundTrip(message), message.getClass().getSimpleName());
    }
  }
}
