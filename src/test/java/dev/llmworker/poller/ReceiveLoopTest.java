package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.sqs.SqsClients;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.TcpProxy;
import dev.llmworker.support.TestConfig;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** The receive loop against a real ElasticMQ: credits, lingering for a full batch, backing off while SQS fails. */
class ReceiveLoopTest {
  private final Vertx vertx = Vertx.vertx();
  private final Context loop = vertx.getOrCreateContext();
  private final SqsFixture sqs = SqsFixture.start(30, 5);
  private final List<Message> received = new CopyOnWriteArrayList<>();
  private SqsClients clients;
  private ReceiveLoop receiver;

  @AfterEach
  void close() {
    if (receiver != null) {
      onLoop(() -> {
        receiver.stop();
        receiver.abandon();
        return null;
      });
    }
    if (clients != null) {
      clients.close();
    }
    sqs.close();
    SqsFixture.await(vertx.close());
  }

  private ReceiveLoop loop(String endpoint, int lingerMs, IntSupplier credits) {
    LlmwConfig config = TestConfig.with(new JsonObject()
        .put("sqs", new JsonObject().put("endpoint", endpoint).put("waitTimeSeconds", 1))
        .put("poller", new JsonObject().put("receiveLingerMs", lingerMs)));
    clients = new SqsClients(config.sqs(), 2);
    receiver = new ReceiveLoop(vertx, loop, clients.polling(), sqs.queues.tasks(), config,
        () -> credits.getAsInt() - receiver.reserved(), () -> 10, received::isEmpty, received::add);
    return receiver;
  }

  private <T> T onLoop(Supplier<T> action) {
    Promise<T> done = Promise.promise();
    loop.runOnContext(v -> done.complete(action.get()));
    return SqsFixture.await(done.future());
  }

  @Test
  @DisplayName("it receives no more messages than credits are free, and starts nothing while none are")
  void credits() throws Exception {
    sqs.enqueue(25, i -> "{\"n\":" + i + "}");
    ReceiveLoop r = loop(sqs.server.endpoint(), 0, () -> 7 - received.size());
    onLoop(() -> {
      r.poll();
      return null;
    });
    Eventually.await(Duration.ofSeconds(10), () -> received.size() == 7 && onLoop(r::reserved) == 0,
        () -> received.size() + " received");
    assertEquals(0, onLoop(() -> {
      r.poll();
      return r.reserved();
    }), "no credits, no receive");
    assertEquals(7, received.size());
  }

  @Test
  @DisplayName("with fewer credits than a full batch it lingers instead of receiving at once; without linger it "
      + "receives what the credits allow")
  void lingersForAFullBatch() {
    ReceiveLoop lingering = loop(sqs.server.endpoint(), 10_000, () -> 3);
    assertEquals(0, onLoop(() -> {
      lingering.poll();
      return lingering.reserved();
    }));
    onLoop(() -> {
      lingering.stop();
      return null;
    });
    clients.close();
    ReceiveLoop eager = loop(sqs.server.endpoint(), 0, () -> 3);
    assertEquals(3, onLoop(() -> {
      eager.poll();
      return eager.reserved();
    }));
  }

  @Test
  @DisplayName("while SQS is unreachable it backs off: a handful of receives in 3 s, not a busy loop")
  void backsOff() {
    TcpProxy proxy = SqsFixture.await(TcpProxy.start(vertx, "127.0.0.1", sqs.server.port()));
    proxy.down();
    ReceiveLoop r = loop(proxy.endpoint(), 0, () -> 10);
    long started = System.nanoTime();
    onLoop(() -> {
      r.poll();
      return null;
    });
    // credits free up all the time in a busy poller: every answer calls poll() again
    long ticker = vertx.setPeriodic(5, id -> loop.runOnContext(v -> r.poll()));
    Eventually.await(Duration.ofSeconds(10), () -> (System.nanoTime() - started) / 1e9 >= 3, () -> "clock");
    vertx.cancelTimer(ticker);
    int refused = proxy.refused();
    // the SDK tries each call up to 4 times itself; with backoff (0.4, 0.8, 1.6 s ...) that is at most ~20 connects
    assertTrue(refused >= 1 && refused <= 40, "connections tried: " + refused);
    assertTrue(received.isEmpty());
  }
}
