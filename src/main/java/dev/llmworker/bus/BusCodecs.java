package dev.llmworker.bus;

import dev.llmworker.task.TaskEnvelope;
import dev.llmworker.task.TaskOutcome;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/** Registers the codecs of every protocol message on a Vert.x instance, once, before any is sent or consumed. */
public final class BusCodecs {
  private static final List<Class<?>> MESSAGES = List.of(TaskEnvelope.class, TaskOutcome.class, TaskCancel.class,
      CapacityAnnouncement.class, PollerHeartbeat.class, BudgetDemand.class, ShutdownPhase.class);
  private static final Map<Vertx, Boolean> REGISTERED = new WeakHashMap<>();

  private BusCodecs() {}

  /** Idempotent: every verticle that speaks the protocol calls it in its start. */
  public static synchronized void ensure(Vertx vertx) {
    if (REGISTERED.put(vertx, Boolean.TRUE) == null) {
      MESSAGES.forEach(type -> register(vertx.eventBus(), type));
    }
  }

  private static <T> void register(EventBus bus, Class<T> type) {
    bus.registerDefaultCodec(type, new RecordCodec<>(type));
  }
}
