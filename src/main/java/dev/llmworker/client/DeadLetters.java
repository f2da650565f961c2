package dev.llmworker.client;

import dev.llmworker.sqs.DeadLetterQueue;
import io.vertx.core.Vertx;

/** The dead-letter queue for a command: {@link DeadLetterQueue} on a Vert.x of its own, awaited from the CLI thread. */
final class DeadLetters implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final DeadLetterQueue queue;

  DeadLetters(QueueClient client) {
    this.queue = new DeadLetterQueue(client.clients().operations(), client.queues(), vertx.getOrCreateContext());
  }

  DeadLetterQueue queue() {
    return queue;
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
