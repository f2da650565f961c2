package dev.llmworker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.TcpProxy;
import dev.llmworker.support.TestConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

/** Batching against a real ElasticMQ through the real SDK. */
@ExtendWith(VertxExtension.class)
class SqsBatcherTest {
  private SqsFixture sqs;
  private TcpProxy proxy;
  private SqsClients viaProxy;

  @BeforeEach
  void setUp(Vertx vertx) {
    sqs = SqsFixture.start(30, 5);
    proxy = SqsFixture.await(TcpProxy.start(vertx, "127.0.0.1", sqs.server.port()));
    viaProxy = new SqsClients(TestConfig.with(new JsonObject().put("sqs",
        new JsonObject().put("endpoint", proxy.endpoint()))).sqs(), 1);
  }

  @AfterEach
  void tearDown() {
    viaProxy.close();
    sqs.close();
  }

  /** Runs {@code work} on one event-loop context, as the poller does, and hands back its future. */
  private static <T> Future<T> onContext(Context context, Supplier<Future<T>> work) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    context.runOnContext(v -> work.get().onComplete(promise));
    return promise.future();
  }

  private List<Message> receiveAll(int count) {
    List<Message> all = new ArrayList<>();
    while (all.size() < count) {
      all.addAll(sqs.sqs().receiveMessage(b -> b.queueUrl(sqs.queues.tasks()).maxNumberOfMessages(10)
          .waitTimeSeconds(1)).join().messages());
    }
    return all;
  }

  @Test
  @DisplayName("25 deletes go out as 3 DeleteMessageBatch calls and every message is gone")
  void batchesOfTen(Vertx vertx, VertxTestContext test) throws Exception {
    sqs.enqueue(25, n -> "m" + n);
    List<Message> received = receiveAll(25);
    Context context = vertx.getOrCreateContext();
    long before = viaProxy.counter().total();
    onContext(context, () -> {
      SqsBatcher<String> deletes = SqsBatches.deletes(vertx, viaProxy.operations(), sqs.queues.tasks(), 20);
      return Future.all(received.stream().map(m -> deletes.add(m.receiptHandle())).toList());
    }).onComplete(test.succeeding(v -> test.verify(() -> {
      assertEquals(3, viaProxy.counter().total() - before);
      assertEquals(0, sqs.depth(sqs.queues.tasks()));
      test.completeNow();
    })));
    assertTrue(test.awaitCompletion(30, TimeUnit.SECONDS));
  }

  @Test
  @DisplayName("a rejected entry fails alone, at once; the rest of its batch succeeds")
  void partialFailure(Vertx vertx, VertxTestContext test) throws Exception {
    sqs.enqueue(3, n -> "m" + n);
    List<Message> received = receiveAll(3);
    Context context = vertx.getOrCreateContext();
    long before = viaProxy.counter().total();
    onContext(context, () -> {
      SqsBatcher<VisibilityChange> changes = SqsBatches.visibility(vertx, viaProxy.operations(),
          sqs.queues.tasks(), 20);
      List<Future<Void>> all = new ArrayList<>();
      received.forEach(m -> all.add(changes.add(new VisibilityChange(m.receiptHandle(), 0))));
      all.add(changes.add(new VisibilityChange("not-a-receipt-handle", 0)));
      return Future.join(all).transform(ar -> Future.succeededFuture(all));
    }).onComplete(test.succeeding(all -> test.verify(() -> {
      for (int i = 0; i < 3; i++) {
        assertTrue(all.get(i).succeeded(), "entry " + i + ": " + all.get(i).cause());
      }
      assertTrue(all.get(3).failed());
      assertTrue(all.get(3).cause().getMessage().contains("rejected"), all.get(3).cause().getMessage());
      assertEquals(1, viaProxy.counter().total() - before, "a sender fault is not retried");
      test.completeNow();
    })));
    assertTrue(test.awaitCompletion(30, TimeUnit.SECONDS));
    assertEquals(3, receiveAll(3).size(), "the three messages were made visible again");
  }

  @Test
  @DisplayName("a batch whose call fails (SQS unreachable) is retried with backoff and delivered once SQS is back")
  void wholeCallRetried(Vertx vertx, VertxTestContext test) throws Exception {
    Context context = vertx.getOrCreateContext();
    proxy.down();
    vertx.setTimer(1500, id -> proxy.up());
    onContext(context, () -> {
      SqsBatcher<OutgoingMessage> sends = SqsBatches.sends(vertx, viaProxy.operations(), sqs.queues.tasks(), 20);
      List<Future<Void>> all = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        all.add(sends.add(OutgoingMessage.of("r" + i)));
      }
      return Future.all(all);
    }).onComplete(test.succeeding(v -> test.verify(() -> {
      assertTrue(proxy.refused() > 0, "the first attempts should have met the outage");
      assertEquals(5, sqs.drain(sqs.queues.tasks()).size());
      test.completeNow();
    })));
    assertTrue(test.awaitCompletion(60, TimeUnit.SECONDS));
  }
}
