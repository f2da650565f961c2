package dev.llmworker.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.Stack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 3: an embedding model under a tokens-per-minute limit. Its tasks reserve no output, their inputs are
 * estimated with OpenAI's tokenizer (the simulator counts about 4 characters a token, so the estimate must calibrate
 * from the answers' usage), and the budget must hold the rate at the limit without a 429.
 */
class EmbeddingsBudgetTest {
  private static final String MODEL = "text-embedding-3-small";
  private Stack stack;

  @AfterEach
  void tearDown() {
    if (stack != null) {
      stack.close();
    }
  }

  private static String task(int i) {
    JsonArray inputs = new JsonArray();
    for (int k = 0; k < 2; k++) {
      inputs.add(String.format("Passage %d of document %06d: the budget must hold this rate.", k, i));
    }
    return new JsonObject().put("custom_id", "e-" + i).put("url", "/v1/embeddings")
        .put("body", new JsonObject().put("model", MODEL).put("input", inputs)).encode();
  }

  @Test
  @DisplayName("embeddings under the simulator's own tpm as the model's budget: twice a window's tokens run at the "
      + "limit with zero 429s, and no output is reserved")
  void convergesWithout429() throws Exception {
    // two inputs of ~62 characters: the simulator counts ~32 tokens a task; 6,000 tpm over a 10 s window allows
    // 1,000 tokens (~31 tasks) in any 10 s, where 20 unpaced workers would send 60 tasks in well under a second
    stack = new Stack(60, 5, SimulatorOptions.defaults().withLatencyMs(30).withTpm(6_000).withWindowSeconds(10));
    stack.startNode(json -> json
        .put("provider", json.getJsonObject("provider").put("modelLimits", new JsonObject()
            .put(MODEL, new JsonObject().put("tpm", 6_000))))
        .put("worker", new JsonObject().put("instances", 1).put("concurrency", 20)));
    long start = System.nanoTime();
    stack.sqs.enqueue(60, EmbeddingsBudgetTest::task);
    Eventually.await(Duration.ofSeconds(90), () -> stack.settled() == 60,
        () -> stack.node.stats().snapshot().encode());
    double seconds = (System.nanoTime() - start) / 1e9;

    assertEquals(0, stack.sim.stats().statusCount(429), "429s under the budget");
    assertEquals(60, stack.node.stats().succeeded.sum());
    long tokens = stack.sim.stats().promptTokens();
    assertTrue(tokens > 1_500, "the run must need more than a window's tokens to test the budget: " + tokens);
    assertTrue(seconds >= tokens / 100.0 * 0.8, "paced at the budget: " + tokens + " tokens in " + seconds + " s");
    JsonObject llm = stack.node.stats().snapshot().getJsonArray("llm").stream().map(JsonObject.class::cast)
        .filter(e -> MODEL.equals(e.getString("model"))).findFirst().orElseThrow();
    assertEquals("embeddings", llm.getString("endpoint"), llm.encode());
    assertEquals(0, llm.getLong("completion_tokens"), llm.encode());
    assertEquals(tokens, llm.getLong("prompt_tokens"), "what was counted is what the simulator counted");
    stack.assertCountersAddUp();
  }
}
