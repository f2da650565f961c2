package dev.llmworker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sqs.SqsClients;
import dev.llmworker.support.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The sender against a tiny SQS that speaks SendMessageBatch (AWS JSON protocol) over real HTTP through the real
 * SDK: ElasticMQ never fails an entry on its side, never throttles and never answers 5xx, which are what the
 * retries are for.
 */
class TaskBatchSenderTest {
  private static final String QUEUE = "http://127.0.0.1/000000000000/llm-tasks";

  Vertx vertx;
  HttpServer server;
  SqsClients clients;
  /** Decides the answer to each SendMessageBatch; entries are the request's. */
  volatile Function<JsonArray, Reply> behaviour = entries -> Reply.allSent();
  final List<String> received = new CopyOnWriteArrayList<>();
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger open = new AtomicInteger();
  final AtomicInteger mostOpen = new AtomicInteger();
  volatile long answerAfterMs;

  record Reply(int status, JsonObject body, Map<String, String> failures) {
    static Reply allSent() {
      return new Reply(200, null, Map.of());
    }

    /** Entry id to "true:Code" (sender's fault) or "false:Code" (SQS's). */
    static Reply failing(Map<String, String> failures) {
      return new Reply(200, null, failures);
    }

    static Reply error(int status, String type) {
      return new Reply(status, new JsonObject().put("__type", "com.amazonaws.sqs#" + type).put("message",
          type + " from the test SQS"), Map.of());
    }
  }

  final class Outcomes implements TaskBatchSender.Outcomes {
    final AtomicInteger sent = new AtomicInteger();
    final Map<Long, String> refused = new ConcurrentHashMap<>();

    @Override
    public void sent(int count) {
      sent.addAndGet(count);
    }

    @Override
    public void refused(long line, String code, String reason) {
      refused.put(line, code);
    }
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1").await();
    clients = new SqsClients(TestConfig.with(new JsonObject().put("sqs", new JsonObject()
        .put("endpoint", "http://127.0.0.1:" + server.actualPort()))).sqs(), 1);
  }

  @AfterEach
  void stop() {
    clients.close();
    vertx.close().await();
  }

  private void answer(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      requests.incrementAndGet();
      mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
      JsonArray entries = new JsonObject(body.toString(StandardCharsets.UTF_8)).getJsonArray("Entries");
      Reply reply = behaviour.apply(entries);
      Runnable respond = () -> {
        open.decrementAndGet();
        request.response().setStatusCode(reply.status()).putHeader("Content-Type", "application/x-amz-json-1.0")
            .end((reply.body() != null ? reply.body() : batchResult(entries, reply.failures())).encode());
      };
      if (answerAfterMs > 0) {
        vertx.setTimer(answerAfterMs, t -> respond.run());
      } else {
        respond.run();
      }
    });
  }

  private JsonObject batchResult(JsonArray entries, Map<String, String> failures) {
    JsonArray successful = new JsonArray();
    JsonArray failed = new JsonArray();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject entry = entries.getJsonObject(i);
      String id = entry.getString("Id");
      String failure = failures.get(id);
      if (failure == null) {
        received.add(entry.getString("MessageBody"));
        successful.add(new JsonObject().put("Id", id).put("MessageId", "m-" + received.size())
            .put("MD5OfMessageBody", md5(entry.getString("MessageBody"))));
      } else {
        String[] parts = failure.split(":");
        failed.add(new JsonObject().put("Id", id).put("SenderFault", Boolean.parseBoolean(parts[0]))
            .put("Code", parts[1]).put("Message", parts[1] + " from the test SQS"));
      }
    }
    return new JsonObject().put("Successful", successful).put("Failed", failed);
  }

  private TaskBatchSender sender(Outcomes outcomes, int inFlight) {
    return new TaskBatchSender(clients.operations(), QUEUE, 262_144, inFlight, outcomes);
  }

  private static CheckedTask task(long line) {
    String body = "{\"custom_id\":\"t-" + line + "\"}";
    return new CheckedTask(line, body, body.length(), null, null);
  }

  @Test
  @DisplayName("an entry SQS failed on its side is sent again; one it refuses for good is reported by its line")
  void entryFailures() throws InterruptedException {
    Map<String, Integer> attempts = new ConcurrentHashMap<>();
    behaviour = entries -> {
      Map<String, String> failures = new java.util.HashMap<>();
      for (int i = 0; i < entries.size(); i++) {
        String body = entries.getJsonObject(i).getString("MessageBody");
        int attempt = attempts.merge(body, 1, Integer::sum);
        if (body.contains("t-3\"") && attempt <= 2) {
          failures.put(entries.getJsonObject(i).getString("Id"), "false:InternalError");
        }
        if (body.contains("t-7\"")) {
          failures.put(entries.getJsonObject(i).getString("Id"), "true:InvalidMessageContents");
        }
      }
      return Reply.failing(failures);
    };
    Outcomes outcomes = new Outcomes();
    TaskBatchSender sender = sender(outcomes, 4);

    for (long line = 1; line <= 25; line++) {
      assertTrue(sender.add(task(line)));
    }
    sender.finish();

    assertEquals(Map.of(7L, "InvalidMessageContents"), outcomes.refused);
    assertEquals(24, outcomes.sent.get());
    assertEquals(24, received.size());
    assertEquals(3, attempts.get(task(3).body()), "t-3 failed twice on SQS's side, then went through");
    assertEquals(1, attempts.get(task(4).body()), "only the failed entry is sent again");
  }

  @Test
  @DisplayName("a batch answered with 500 more often than the SDK retries is sent again, and arrives once")
  void wholeBatchRetried() throws InterruptedException {
    AtomicInteger calls = new AtomicInteger();
    behaviour = entries -> calls.incrementAndGet() <= 4 ? Reply.error(500, "InternalError") : Reply.allSent();
    Outcomes outcomes = new Outcomes();
    TaskBatchSender sender = sender(outcomes, 2);

    for (long line = 1; line <= 10; line++) {
      sender.add(task(line));
    }
    sender.finish();

    assertEquals(Map.of(), outcomes.refused);
    assertEquals(10, outcomes.sent.get());
    assertEquals(10, received.size());
    assertTrue(requests.get() >= 5, "requests: " + requests.get());
    assertEquals(null, sender.stopReason());
  }

  @Test
  @DisplayName("a batch refused as a whole (access denied) stops the sending, and every line not sent is reported")
  void stopsWhenTheQueueCannotBeUsed() throws InterruptedException {
    behaviour = entries -> Reply.error(400, "AccessDenied");
    Outcomes outcomes = new Outcomes();
    TaskBatchSender sender = sender(outcomes, 1);

    long line = 0;
    boolean going = true;
    while (going && line < 1_000) {
      going = sender.add(task(++line));
    }
    sender.finish();

    assertFalse(going, "add must say false once the queue cannot be used");
    assertNotNull(sender.stopReason());
    assertEquals(0, outcomes.sent.get());
    assertEquals(line, outcomes.refused.size(), "every line read was reported: " + outcomes.refused.keySet());
    assertTrue(line < 100, "stopped early, after " + line + " lines");
    assertEquals(1, requests.get(), "a refusal for good is not retried");
  }

  @Test
  @DisplayName("no more batches than the bound are out at once, and the reader waits for them instead of "
      + "piling up lines")
  void boundedInFlight() throws InterruptedException {
    answerAfterMs = 50;
    Outcomes outcomes = new Outcomes();
    TaskBatchSender sender = sender(outcomes, 4);
    List<Integer> outstandingSeen = new ArrayList<>();

    for (long line = 1; line <= 400; line++) {
      sender.add(task(line));
      outstandingSeen.add((int) (line - outcomes.sent.get()));
    }
    sender.finish();

    assertEquals(400, outcomes.sent.get());
    assertEquals(4, mostOpen.get(), "batches at once");
    // 4 batches of 10 out, plus the one being filled
    assertTrue(outstandingSeen.stream().allMatch(n -> n <= 50), "lines read but not sent: " + outstandingSeen);
  }

  private static String md5(String body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
