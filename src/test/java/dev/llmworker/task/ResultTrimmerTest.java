package dev.llmworker.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ResultTrimmerTest {
  private static final int LIMIT = 262_144;

  private static String line(JsonObject body, JsonObject llmw) {
    return new JsonObject().put("id", "batch_req_1").put("custom_id", "c-1")
        .put("response", new JsonObject().put("status_code", 200).put("request_id", "req_1").put("body", body))
        .putNull("error").put("llmw", llmw).encode();
  }

  private static JsonObject completion(String... contents) {
    JsonArray choices = new JsonArray();
    for (String c : contents) {
      choices.add(new JsonObject().put("index", choices.size())
          .put("message", new JsonObject().put("role", "assistant").put("content", c)));
    }
    return new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion").put("model", "gpt-4o")
        .put("choices", choices).put("usage", new JsonObject().put("prompt_tokens", 3).put("completion_tokens", 9));
  }

  @Test
  @DisplayName("a line under the limit fits; one over it does not (counted in UTF-8 bytes, not characters)")
  void fits() {
    assertTrue(ResultTrimmer.fits("x".repeat(1000), LIMIT));
    assertTrue(ResultTrimmer.fits("x".repeat(LIMIT), LIMIT));
    assertFalse(ResultTrimmer.fits("é".repeat(LIMIT / 2 + 1), LIMIT));
  }

  @Test
  @DisplayName("the longest text is cut with a mark; ids, usage and the other fields are kept; multi-byte text and "
      + "surrogate pairs stay whole")
  void cutsLongestText() {
    String emoji = "😀".repeat(100_000); // 4 bytes each in UTF-8, 2 chars each in Java
    String line = line(completion("short answer", emoji + "é".repeat(50_000)), new JsonObject().put("attempts", 1));
    String trimmed = ResultTrimmer.trim(line, LIMIT, "node-1:/data/oversize.jsonl");
    assertTrue(ResultTrimmer.bytes(trimmed) <= LIMIT, "bytes " + ResultTrimmer.bytes(trimmed));
    JsonObject json = new JsonObject(trimmed);
    assertEquals("c-1", json.getString("custom_id"));
    assertEquals("batch_req_1", json.getString("id"));
    JsonObject body = json.getJsonObject("response").getJsonObject("body");
    assertEquals(9, body.getJsonObject("usage").getInteger("completion_tokens"));
    assertEquals("short answer", body.getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getString("content"));
    String cut = body.getJsonArray("choices").getJsonObject(1).getJsonObject("message").getString("content");
    assertTrue(cut.endsWith(ResultTrimmer.MARK));
    assertTrue(cut.length() > 50_000, "cut far more than needed: " + cut.length());
    String kept = cut.substring(0, cut.length() - ResultTrimmer.MARK.length());
    assertEquals(kept.codePoints().count() * 2, kept.length(), "a surrogate pair was split");
    JsonObject llmw = json.getJsonObject("llmw");
    assertEquals(Boolean.TRUE, llmw.getBoolean("truncated"));
    assertEquals(ResultTrimmer.bytes(line), llmw.getInteger("full_bytes"));
    assertEquals("node-1:/data/oversize.jsonl", llmw.getString("full_result"));
    assertEquals(1, llmw.getInteger("attempts"));
  }

  @Test
  @DisplayName("a large llmw.raw (results.keepRaw) is cut too")
  void cutsRaw() {
    JsonObject llmw = new JsonObject().put("raw", new JsonObject().put("content", new JsonArray()
        .add(new JsonObject().put("text", "r".repeat(200_000)))));
    String line = line(completion("a".repeat(200_000)), llmw);
    String trimmed = ResultTrimmer.trim(line, LIMIT, "n:f");
    assertTrue(ResultTrimmer.bytes(trimmed) <= LIMIT);
    assertTrue(new JsonObject(trimmed).getJsonObject("llmw").containsKey("raw"));
  }

  @Test
  @DisplayName("thousands of small texts: the body keeps its envelope (id, model, usage) and empty choices")
  void lastResort() {
    String[] many = new String[40_000];
    java.util.Arrays.fill(many, "tiny text");
    String trimmed = ResultTrimmer.trim(line(completion(many), new JsonObject()), LIMIT, "n:f");
    assertTrue(ResultTrimmer.bytes(trimmed) <= LIMIT);
    JsonObject body = new JsonObject(trimmed).getJsonObject("response").getJsonObject("body");
    assertEquals("chatcmpl-1", body.getString("id"));
    assertEquals(0, body.getJsonArray("choices").size());
    assertEquals(3, body.getJsonObject("usage").getInteger("prompt_tokens"));
  }

  @Test
  @DisplayName("an embeddings list over the limit keeps its envelope (model, usage) with empty data: no vector is "
      + "cut in half, floats or base64")
  void embeddingsNeverCutInside() {
    for (boolean base64 : new boolean[] {false, true}) {
      JsonArray data = new JsonArray();
      for (int i = 0; i < 64; i++) {
        JsonArray vector = new JsonArray();
        for (int d = 0; d < 1536; d++) {
          vector.add(Math.sin(i * 1536 + d) / 7);
        }
        data.add(new JsonObject().put("object", "embedding").put("index", i)
            .put("embedding", base64 ? java.util.Base64.getEncoder().encodeToString(vector.encode().getBytes())
                : vector));
      }
      JsonObject list = new JsonObject().put("object", "list").put("data", data).put("model", "text-embedding-3-small")
          .put("usage", new JsonObject().put("prompt_tokens", 512).put("total_tokens", 512));
      String trimmed = ResultTrimmer.trim(line(list, new JsonObject()), LIMIT, "n:f");
      assertTrue(ResultTrimmer.bytes(trimmed) <= LIMIT);
      JsonObject body = new JsonObject(trimmed).getJsonObject("response").getJsonObject("body");
      assertEquals("list", body.getString("object"));
      assertEquals(new JsonArray(), body.getJsonArray("data"), "base64=" + base64);
      assertEquals("text-embedding-3-small", body.getString("model"));
      assertEquals(512, body.getJsonObject("usage").getInteger("prompt_tokens"));
      assertTrue(!body.containsKey("choices"), body.encode());
      assertTrue(new JsonObject(trimmed).getJsonObject("llmw").getBoolean("truncated"));
    }
  }
}
