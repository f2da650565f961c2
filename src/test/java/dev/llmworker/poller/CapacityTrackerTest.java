package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmworker.bus.BusCodecs;
import dev.llmworker.bus.CapacityAnnouncement;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.task.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Share and pick, with two pollers on one event bus and announcements sent by the test. */
class CapacityTrackerTest {
  private final Vertx vertx = Vertx.vertx();
  private final Context loop = vertx.getOrCreateContext();

  @AfterEach
  void close() {
    SqsFixture.await(vertx.close());
  }

  private CapacityTracker started() {
    BusCodecs.ensure(vertx);
    CapacityTracker tracker = new CapacityTracker(vertx, () -> { }, worker -> { });
    Promise<CapacityTracker> started = Promise.promise();
    loop.runOnContext(v -> tracker.start().map(tracker).onComplete(started));
    return SqsFixture.await(started.future());
  }

  private void announce(String worker, int capacity) {
    vertx.eventBus().publish(Addresses.CAPACITY, new CapacityAnnouncement(worker, "node", capacity, 0, -1));
  }

  @Test
  @DisplayName("two pollers split every worker's slots exactly, odd capacities included")
  void sharesAddUp() {
    CapacityTracker one = started();
    CapacityTracker two = started();
    announce("w1", 10);
    announce("w2", 5);
    announce("w3", 1);
    Eventually.await(Duration.ofSeconds(5), () -> one.pollers() == 2 && two.pollers() == 2
        && one.clusterTotal() == 16 && two.clusterTotal() == 16, () -> "not settled");
    assertEquals(16, one.share() + two.share(), one.share() + " + " + two.share());
  }

  @Test
  @DisplayName("a task goes to the worker with the most free slots of the share; a stopping worker gets none")
  void pick() {
    CapacityTracker tracker = started();
    announce("w1", 4);
    announce("w2", 6);
    Eventually.await(Duration.ofSeconds(5), () -> tracker.clusterTotal() == 10, () -> "no announcements");
    Map<String, Integer> at = new java.util.HashMap<>(Map.of("w1", 0, "w2", 0));
    assertEquals("w2", tracker.pick(at::get));
    at.put("w2", 3);
    assertEquals("w1", tracker.pick(at::get));
    forget(tracker, "w1");
    assertEquals("w2", tracker.pick(at::get), "w1 said it is stopping");
    assertEquals(6, tracker.clusterTotal());
    forget(tracker, "w2");
    assertNull(tracker.pick(at::get));
  }

  /** On the tracker's event loop, like the poller does. */
  private void forget(CapacityTracker tracker, String worker) {
    Promise<Void> done = Promise.promise();
    loop.runOnContext(v -> {
      tracker.forget(worker);
      done.complete();
    });
    SqsFixture.await(done.future());
  }
}
