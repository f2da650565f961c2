package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmworker.monitor.NodeStats;
import dev.llmworker.support.SqsFixture;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WorkerDispatcherTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    SqsFixture.await(vertx.close());
  }

  @Test
  @DisplayName("a silent worker this poller had sent nothing to is given up quietly (it once threw, and the other "
      + "silent workers of the same tick kept their tasks for good)")
  void lostWorkerWithoutTasks() {
    NodeStats stats = new NodeStats("n1", List.of("poller"));
    WorkerDispatcher dispatcher = new WorkerDispatcher(vertx, null, new MessageLedger(stats), stats, 1000);
    assertDoesNotThrow(() -> dispatcher.workerLost("never-used"));
    assertEquals(0, stats.recovered.sum());
  }
}
