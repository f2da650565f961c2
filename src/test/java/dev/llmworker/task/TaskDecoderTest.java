package dev.llmworker.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TaskDecoderTest {
  private final TaskDecoder decoder = new TaskDecoder(Set.of("default"));

  @Test
  @DisplayName("an OpenAI Batch API input line decodes unchanged")
  void batchLine() {
    Task task = decoder.decode("{\"custom_id\":\"t-1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
        + "\"body\":{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":64}}");
    assertEquals("t-1", task.customId());
    assertEquals("/v1/chat/completions", task.url());
    assertEquals("gpt-4o-mini", task.model());
    assertEquals(null, task.provider(), "no provider named: its model and endpoint choose");
    assertEquals(64, task.body().getInteger("max_tokens"));
  }

  @ParameterizedTest(name = "{0} is rejected as {1}")
  @DisplayName("poison input is rejected with a code and a readable reason")
  @CsvSource(delimiter = '|', value = {
      "{not json|invalid_json",
      "'   '|empty_body",
      "[1,2]|not_an_object",
      "\u0000\u0001\u00ff garbage|invalid_json",
      "{\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\",\"messages\":[{}]}}|missing_custom_id",
      "{\"custom_id\":\"a\",\"url\":\"https://evil.example/v1/chat/completions\",\"body\":{}}|bad_url",
      "{\"custom_id\":\"a\",\"url\":\"//evil.example/x\",\"body\":{}}|bad_url",
      "{\"custom_id\":\"a\",\"url\":\"/v1/images/generations\",\"body\":{}}|unsupported_url",
      "{\"custom_id\":\"a\",\"url\":\"/v1/embeddings\",\"body\":{\"model\":\"e\",\"input\":[]}}|missing_input",
      "{\"custom_id\":\"a\",\"url\":\"/v1/responses\",\"body\":{\"model\":\"m\"}}|missing_input",
      "{\"custom_id\":\"a\",\"url\":\"/v1/completions\",\"body\":{\"model\":\"m\",\"prompt\":\"\"}}|missing_prompt",
      "{\"custom_id\":\"a\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\",\"messages\":\"hi\"}}|missing_messages",
      "{\"custom_id\":\"a\",\"method\":\"GET\",\"url\":\"/v1/chat/completions\",\"body\":{}}|bad_method",
      "{\"custom_id\":\"a\",\"url\":\"/v1/chat/completions\"}|missing_body",
      "{\"custom_id\":\"a\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\",\"messages\":[]}}|missing_messages",
      "{\"custom_id\":\"a\",\"url\":\"/v1/chat/completions\",\"body\":{\"messages\":[{}]}}|missing_model",
      "{\"custom_id\":\"a\",\"provider\":\"other\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\",\"messages\":[{}]}}|unknown_provider",
      "{\"custom_id\":\"a\\nb\",\"body\":{\"model\":\"m\",\"messages\":[{}]}}|bad_custom_id",
      "{\"custom_id\":\"a\\tb\",\"body\":{\"model\":\"m\",\"messages\":[{}]}}|bad_custom_id",
      "{\"custom_id\":\"a\\u0000\",\"body\":{\"model\":\"m\",\"messages\":[{}]}}|bad_custom_id",
      "{\"custom_id\":\"a\\u007f\",\"body\":{\"model\":\"m\",\"messages\":[{}]}}|bad_custom_id",
      "{\"custom_id\":\"a\\u009b[2J\",\"body\":{\"model\":\"m\",\"messages\":[{}]}}|bad_custom_id",
      "{\"custom_id\":\"a\",\"body\":{\"model\":\"..\",\"messages\":[{}]}}|bad_model",
      "{\"custom_id\":\"a\",\"body\":{\"model\":\".\",\"messages\":[{}]}}|bad_model",
      "{\"custom_id\":\"a\",\"body\":{\"model\":\"\",\"messages\":[{}]}}|bad_model"
  })
  void poison(String body, String code) {
    TaskRejected rejected = assertThrows(TaskRejected.class, () -> decoder.decode(body));
    assertEquals(code, rejected.code());
    assertTrue(rejected.getMessage().length() > 10 && !rejected.getMessage().contains("\n"), rejected.getMessage());
  }

  @Test
  @DisplayName("a control character in custom_id is refused saying which one and where; the id itself is not "
      + "repeated (it would break the log line it is written to)")
  void controlCharacterReason() {
    TaskRejected rejected = assertThrows(TaskRejected.class, () -> decoder.decode(
        "{\"custom_id\":\"line-1\\r\\nX-Injected: yes\",\"body\":{\"model\":\"m\",\"messages\":[{}]}}"));
    assertEquals("bad_custom_id", rejected.code());
    assertEquals("\"custom_id\" contains the control character U+000D at position 7; ids must be printable text",
        rejected.getMessage());
    assertNull(rejected.customId());
  }

  @Test
  @DisplayName("printable ids in any script, with spaces and punctuation, and model names such as '...' or "
      + "'a..b' are accepted")
  void printableIdsAccepted() {
    Task task = decoder.decode("{\"custom_id\":\"café 你好 #1 / 50% ..\",\"body\":{\"model\":\"...\","
        + "\"messages\":[{}]}}");
    assertEquals("café 你好 #1 / 50% ..", task.customId());
    assertEquals("...", task.model());
    assertEquals("a..b", decoder.decode("{\"custom_id\":\"x\",\"body\":{\"model\":\"a..b\",\"messages\":[{}]}}")
        .model());
  }

  @Test
  @DisplayName("reasons are clipped to one short line")
  void clip() {
    String clipped = TaskDecoder.clip("a\nb" + "x".repeat(1000));
    assertTrue(clipped.length() <= 201 && !clipped.contains("\n"));
  }
}
