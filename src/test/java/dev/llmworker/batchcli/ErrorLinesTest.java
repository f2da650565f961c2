package dev.llmworker.batchcli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ErrorLinesTest {
  @Test
  @DisplayName("line N: code: message, the param in brackets, no line number when there is none, escapes made "
      + "visible")
  void format() {
    assertEquals("line 3: invalid_json: Unexpected end of input",
        ErrorLines.line(new BatchObject.InputError("invalid_json", "Unexpected end of input", 3L, null)));
    assertEquals("line 7: missing_custom_id: custom_id is required (custom_id)",
        ErrorLines.line(new BatchObject.InputError("missing_custom_id", "custom_id is required", 7L, "custom_id")));
    assertEquals("empty_file: the file has no lines",
        ErrorLines.line(new BatchObject.InputError("empty_file", "the file has no lines", null, null)));
    assertEquals("line 1: bad: \\u001b[2J",
        ErrorLines.line(new BatchObject.InputError("bad", "\u001b[2J", 1L, null)));
  }

  @Test
  @DisplayName("at most 20 lines, then '... and N more'")
  void capped() {
    List<BatchObject.InputError> errors = new ArrayList<>();
    for (long i = 1; i <= 25; i++) {
      errors.add(new BatchObject.InputError("invalid_json", "broken", i, null));
    }
    List<String> lines = ErrorLines.of(errors);
    assertEquals(21, lines.size());
    assertEquals("line 20: invalid_json: broken", lines.get(19));
    assertEquals("... and 5 more", lines.get(20));
    assertEquals(20, ErrorLines.of(errors.subList(0, 20)).size());
  }
}
