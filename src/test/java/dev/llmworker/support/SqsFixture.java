package dev.llmworker.support;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.sqs.BulkSender;
import dev.llmworker.sqs.EmbeddedSqs;
import dev.llmworker.sqs.QueueSetup;
import dev.llmworker.sqs.QueueUrls;
import dev.llmworker.sqs.SqsClients;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** A real ElasticMQ on a free port with the three queues, and blocking helpers to fill and read them. */
public final class SqsFixture implements AutoCloseable {
  public final EmbeddedSqs server;
  public final SqsClients clients;
  public final QueueUrls queues;

  private SqsFixture(EmbeddedSqs server, SqsClients clients, QueueUrls queues) {
    this.server = server;
    this.clients = clients;
    this.queues = queues;
  }

  /** @param visibilityTimeoutSeconds the tasks queue's own visibility timeout */
  public static SqsFixture start(int visibilityTimeoutSeconds, int maxReceiveCount) {
    return start(visibilityTimeoutSeconds, maxReceiveCount, new JsonObject());
  }

  /** The queues llm-tasks.fifo, llm-results.fifo and llm-tasks-dlq.fifo. */
  public static SqsFixture startFifo(int visibilityTimeoutSeconds, int maxReceiveCount) {
    return start(visibilityTimeoutSeconds, maxReceiveCount, fifoNames());
  }

  /** Config keys naming the FIFO queues, to merge into a node's "sqs" section. */
  public static JsonObject fifoNames() {
    return new JsonObject().put("queueName", "llm-tasks.fifo").put("resultsQueueName", "llm-results.fifo")
        .put("dlqName", "llm-tasks-dlq.fifo");
  }

  private static SqsFixture start(int visibilityTimeoutSeconds, int maxReceiveCount, JsonObject names) {
    EmbeddedSqs server = EmbeddedSqs.start("127.0.0.1", 0);
    LlmwConfig.Sqs sqs = TestConfig.with(new JsonObject().put("sqs", names.copy()
        .put("endpoint", server.endpoint())
        .put("visibilityTimeoutSeconds", visibilityTimeoutSeconds)
        .put("maxReceiveCount", maxReceiveCount))).sqs();
    SqsClients clients = new SqsClients(sqs, 2);
    QueueUrls queues = new QueueSetup(clients.operations(), sqs).create().toCompletionStage().toCompletableFuture().join();
    return new SqsFixture(server, clients, queues);
  }

  public SqsAsyncClient sqs() {
    return clients.operations();
  }

  public void enqueue(int count, IntFunction<String> body) throws InterruptedException {
    new BulkSender(sqs(), queues.tasks()).send(0, count, body);
  }

  /** Receives and deletes everything currently visible in a queue. */
  public List<Message> drain(String queueUrl) {
    List<Message> all = new ArrayList<>();
    int emptyInARow = 0;
    while (emptyInARow < 2) {
      List<Message> batch = sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
          .messageAttributeNames("All").waitTimeSeconds(0)).join().messages();
      if (batch.isEmpty()) {
        emptyInARow++;
        continue;
      }
      emptyInARow = 0;
      all.addAll(batch);
      sqs().deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(batch.stream().map(m ->
          software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
              .id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList())).join();
    }
    return all;
  }

  /** Visible + in flight + delayed messages of a queue. */
  public long depth(String queueUrl) {
    var a = sqs().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).join().attributes();
    return a.values().stream().mapToLong(Long::parseLong).sum();
  }

  @Override
  public void close() {
    clients.close();
    server.close();
  }

  public static <T> T await(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().join();
  }

  /** Waits for a future that must fail, and returns why (fails the test if it succeeds). */
  public static Throwable awaitFailure(Future<?> future) {
    try {
      Object value = await(future);
      throw new AssertionError("expected a failure, got " + value);
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause();
    }
  }

  /** Waits for a future; returns why it failed, or null when it succeeded. */
  public static Throwable awaitFailureOrNull(Future<?> future) {
    try {
      await(future);
      return null;
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause();
    }
  }
}
