package dev.llmworker.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import dev.llmworker.task.SampleTasks;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** 1,000 seeded random bad bodies among 1,000 good tasks. */
class PoisonFuzzTest {
  private static final int EACH = 1000;
  private Stack stack;

  @AfterEach
  void tearDown() {
    if (stack != null) {
      stack.close();
    }
  }

  /** Characters SQS accepts in a body: #x9 #xA #xD, #x20-#xD7FF, #xE000-#xFFFD. */
  private static String randomText(Random random, int length) {
    StringBuilder s = new StringBuilder();
    while (s.length() < length) {
      int c = random.nextInt(4) == 0 ? 0x20 + random.nextInt(0xD7FF - 0x20) : 0x20 + random.nextInt(0x5F);
      s.append((char) c);
    }
    return s.toString();
  }

  /** A body that can never be a valid task; kinds rotate so that each form of poison appears often. */
  private static String poison(Random random, int n) {
    JsonObject good = new JsonObject(TestTasks.chat("p-" + n, "hello " + n));
    return switch (n % 12) {
      case 0 -> randomText(random, 1 + random.nextInt(300));
      case 1 -> "{" + randomText(random, 1 + random.nextInt(50));
      case 2 -> List.of("[1,2,3]", "42", "\"text\"", "null", "true").get(random.nextInt(5));
      case 3 -> good.copy().put("custom_id", random.nextInt()).encode();
      case 4 -> withoutKey(good, "custom_id");
      case 5 -> withoutKey(good, "body");
      case 6 -> good.copy().put("url", List.of("https://evil.example/v1/chat/completions", "//evil/x",
          "http://169.254.169.254/latest").get(random.nextInt(3))).encode();
      case 7 -> good.copy().put("url", "/v1/embeddings").encode();
      case 8 -> good.copy().put("method", "GET").encode();
      case 9 -> good.copy().put("provider", "nope-" + random.nextInt(100)).encode();
      case 10 -> good.encode().substring(0, 1 + random.nextInt(good.encode().length() - 2));
      default -> good.copy().put("custom_id", "x".repeat(513 + random.nextInt(100))).encode();
    };
  }

  private static String withoutKey(JsonObject json, String key) {
    JsonObject copy = json.copy();
    copy.remove(key);
    return copy.encode();
  }

  @Test
  @DisplayName("good tasks all succeed, every bad body lands in the DLQ unchanged with a reason, nothing escapes")
  void poisonFuzz() throws Exception {
    stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));
    AtomicInteger uncaught = new AtomicInteger();
    stack.vertx.exceptionHandler(e -> uncaught.incrementAndGet());
    stack.startNode(json -> json);
    Random random = new Random(2026);
    List<String> bodies = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (int n = 0; n < EACH; n++) {
      bodies.add(SampleTasks.body("good-", n));
      String b = poison(random, n);
      bad.add(b);
      bodies.add(b);
    }
    Collections.shuffle(bodies, random);
    stack.sqs.enqueue(bodies.size(), bodies::get);
    Eventually.await(Duration.ofSeconds(90), () -> stack.settled() >= 2 * EACH,
        () -> stack.node.stats().snapshot().encode());

    Map<String, List<JsonObject>> results = stack.results();
    for (int n = 0; n < EACH; n++) {
      List<JsonObject> lines = results.get("good-" + n);
      assertNotNull(lines, "good-" + n + " has no result");
      assertEquals(200, lines.get(0).getJsonObject("response").getInteger("status_code"));
    }
    long errorLines = results.values().stream().flatMap(List::stream).filter(l -> l.getValue("error") != null).count();
    assertEquals(EACH, errorLines, "one error result line per bad body");

    List<Message> dead = stack.sqs.drain(stack.sqs.queues.dlq());
    assertEquals(EACH, dead.size());
    List<String> deadBodies = new ArrayList<>();
    for (Message m : dead) {
      assertFalse(m.messageAttributes().get("llmw-error-reason").stringValue().isBlank());
      assertNotNull(m.messageAttributes().get("llmw-error-code"));
      deadBodies.add(m.body());
    }
    Collections.sort(deadBodies);
    Collections.sort(bad);
    assertEquals(bad, deadBodies, "each bad body is kept unchanged in the DLQ");
    assertEquals(0, uncaught.get(), "an exception escaped a verticle");
    assertEquals(EACH, stack.node.stats().succeeded.sum());
    assertEquals(EACH, stack.node.stats().deadLettered.sum());
    assertTrue(stack.sim.stats().okCount() == EACH, "bad bodies never reach the LLM");
    stack.assertCountersAddUp();
  }
}
