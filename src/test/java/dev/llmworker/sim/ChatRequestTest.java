package dev.llmworker.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChatRequestTest {
  @Test
  @DisplayName("the answer quotes 40 characters of the prompt, 39 when the 40th would split an emoji in half")
  void quoteKeepsSurrogatePairs() {
    String x39 = "x".repeat(39);
    assertEquals(x39, ChatRequest.quote(x39 + "😀 and more"));
    assertEquals("x".repeat(40), ChatRequest.quote("x".repeat(50)));
    assertEquals("😀".repeat(20), ChatRequest.quote("😀".repeat(30)));
    assertEquals("short", ChatRequest.quote("short"));
  }
}
