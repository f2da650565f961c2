package dev.llmworker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SqsTextTest {
  @Test
  @DisplayName("characters SQS refuses are written as JSON escapes; the line parses to the same value")
  void storableJson() {
    String value = "a \uffff b \ud800 c \u0001 d \ud83d\ude00 e \ufffe";
    String line = new JsonObject().put("content", value).encode();
    String storable = SqsText.storableJson(line);
    assertEquals(-1, SqsText.firstInvalid(storable), storable);
    assertEquals(value, new JsonObject(storable).getString("content"));
    assertEquals(true, storable.contains("\ud83d\ude00"), "a valid pair stays as it is");
  }

  @Test
  @DisplayName("a line with nothing to escape is returned as it is")
  void nothingToDo() {
    String line = "{\"a\":\"plain ü\"}";
    assertSame(line, SqsText.storableJson(line));
  }
}
