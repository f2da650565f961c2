package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.monitor.NodeStats;
import dev.llmworker.retry.Backoff;
import dev.llmworker.sqs.OutgoingMessage;
import dev.llmworker.sqs.QueueUrls;
import dev.llmworker.sqs.SqsBatcher;
import dev.llmworker.sqs.SqsBatcher.BatchFailure;
import dev.llmworker.sqs.VisibilityChange;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.task.ResultLine;
import dev.llmworker.task.TaskOutcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The settler's decisions, as a table: for each outcome, which SQS writes it makes and how the message ends. The
 * batch calls are recorded here instead of going to SQS (what SQS does with them is tested against ElasticMQ in
 * {@code ReceivesKeptTest}, {@code UnstorableResultTest} and others); this checks the decisions in milliseconds.
 */
class OutcomeSettlerTest {
  private static final int MAX_RECEIVES = 3;
  private final Vertx vertx = Vertx.vertx();
  private final Map<String, List<Object>> written = new HashMap<>();
  /** Queues whose writes are refused as the sender's fault. */
  private final List<String> refusing = new ArrayList<>();
  private final NodeStats stats = new NodeStats("n1", List.of("poller"));
  @TempDir
  Path dir;

  @AfterEach
  void close() {
    SqsFixture.await(vertx.close());
  }

  private <E> SqsBatcher<E> recorder(String queue) {
    return new SqsBatcher<>(vertx, queue, 1, 1, e -> 10, entries -> {
      written.computeIfAbsent(queue, k -> new ArrayList<>()).addAll(entries);
      Map<Integer, BatchFailure> failures = new HashMap<>();
      if (refusing.contains(queue)) {
        for (int i = 0; i < entries.size(); i++) {
          failures.put(i, new BatchFailure(true, "InvalidParameterValue", "refused"));
        }
      }
      return Future.succeededFuture(failures);
    });
  }

  private Settlement settle(String tasksQueue, int receiveCount, TaskOutcome outcome) {
    Promise<Settlement> done = Promise.promise();
    vertx.runOnContext(v -> {
      var batchers = new OutcomeSettler.Batchers(recorder("results"), recorder("dlq"), recorder("deletes"),
          recorder("visibility"), recorder("requeues"), recorder("batch-results"));
      QueueUrls queues = new QueueUrls(tasksQueue, "results", "dlq", MAX_RECEIVES);
      LlmwConfig.Retry retry = new LlmwConfig.Retry(4, 12, 10, 10, 10, 900);
      var stores = new OutcomeSettler.Stores(new StoreRetries(vertx, new Backoff(1, 1)),
          new OversizeResults(vertx, dir.resolve("kept.jsonl").toString(), "n1", 262_144));
      new OutcomeSettler(batchers, queues, 262_144, retry, stores, stats)
          .settle(message(receiveCount), outcome).onComplete(done);
    });
    return SqsFixture.await(done.future());
  }

  private static InFlightMessage message(int receiveCount) {
    return new InFlightMessage(Message.builder().messageId("m1").receiptHandle("r1")
        .body("{\"custom_id\":\"c1\"}").attributes(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
            String.valueOf(receiveCount), MessageSystemAttributeName.MESSAGE_GROUP_ID, "g")).build());
  }

  private static TaskOutcome answered() {
    return TaskOutcome.succeeded("c1", ResultLine.failure("c1", "none", "an answer \uffff", new ResultLine.Meta(1,
        "p", 1)), 1, 1, "p", "m", "chat");
  }

  private int count(String queue) {
    return written.getOrDefault(queue, List.of()).size();
  }

  @Test
  @DisplayName("a success: its line (made storable) to the results queue, then the delete")
  void stored() {
    assertEquals(Settlement.SUCCEEDED, settle("tasks", 1, answered()));
    assertEquals(1, count("results"));
    assertTrue(((OutgoingMessage) written.get("results").get(0)).body().contains("\\uffff"));
    assertEquals(1, count("deletes"));
  }

  @Test
  @DisplayName("a result the results queue refuses: kept on disk, dead-lettered as result_unstorable, deleted")
  void unstorable() throws Exception {
    refusing.add("results");
    assertEquals(Settlement.DEAD_LETTERED, settle("tasks", 1, answered()));
    OutgoingMessage dead = (OutgoingMessage) written.get("dlq").get(0);
    assertEquals("result_unstorable", dead.attributes().get(DeadLetterMessage.CODE).stringValue());
    assertTrue(Files.readString(dir.resolve("kept.jsonl")).contains("\"custom_id\":\"c1\""));
    assertEquals(1, count("deletes"));
    assertEquals(1, stats.unstorable.sum());
  }

  @Test
  @DisplayName("a dead letter the DLQ refuses: the message comes back after a minute or more, never at once")
  void deadLetterRefused() {
    refusing.add("dlq");
    TaskOutcome bad = TaskOutcome.deadLetter("c1", new JsonObject(), "invalid_json", "not JSON", 0, null, null);
    assertEquals(Settlement.RETURNED, settle("tasks", 1, bad));
    VisibilityChange change = (VisibilityChange) written.get("visibility").get(0);
    assertTrue(change.seconds() >= 45, "returned after " + change.seconds() + " s");
    assertEquals(0, count("deletes"));
  }

  @Test
  @DisplayName("throttled: requeued as a fresh message (standard queue), or returned in order (FIFO, receives left)")
  void throttled() {
    TaskOutcome busy = TaskOutcome.retry("c1", "provider_429", "slow down", 12);
    assertEquals(Settlement.REQUEUED, settle("tasks", MAX_RECEIVES, busy));
    OutgoingMessage copy = (OutgoingMessage) written.get("requeues").get(0);
    assertEquals("1", copy.attributes().get(Requeues.COUNT).stringValue());
    assertTrue(copy.delaySeconds() > 0);
    assertEquals(1, count("deletes"));
    written.clear();
    assertEquals(Settlement.RETURNED, settle("tasks.fifo", 1, busy));
    assertEquals(0, count("requeues"));
    assertEquals(Settlement.REQUEUED, settle("tasks.fifo", MAX_RECEIVES, busy), "last receive: copied");
    assertEquals("g", ((OutgoingMessage) written.get("requeues").get(0)).groupId());
  }

  @Test
  @DisplayName("a transient failure uses a receive; on the last one it is dead-lettered here, with its reason")
  void transientFailure() {
    TaskOutcome failing = TaskOutcome.retry("c1", "provider_503", "overloaded", 4);
    assertEquals(Settlement.RETURNED, settle("tasks", 1, failing));
    assertEquals(0, count("dlq"));
    assertEquals(Settlement.DEAD_LETTERED, settle("tasks", MAX_RECEIVES, failing));
    String reason = ((OutgoingMessage) written.get("dlq").get(0)).attributes().get(DeadLetterMessage.REASON)
        .stringValue();
    assertTrue(reason.startsWith("gave up after 3 receives; last error: overloaded"), reason);
    assertEquals(1, count("results"), "and an error line");
  }

  @Test
  @DisplayName("given back (a stop, a pause, a lost worker): requeued at once, its receives kept")
  void givenBack() {
    assertEquals(Settlement.REQUEUED, settle("tasks", 1, TaskOutcome.givenBack("worker_lost", "silent")));
    assertEquals(0, ((OutgoingMessage) written.get("requeues").get(0)).delaySeconds());
  }
}
