package dev.llmworker.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** What a collected part adds to its batch's progress: lines, tokens and cost read from each result line. */
class BatchPartTest {
  private static Message message(String id, String body) {
    return Message.builder().messageId(id).body(body).build();
  }

  @Test
  @DisplayName("a part counts successes and failures and sums the lines' tokens and cost; an unreadable body is a "
      + "failure without tokens")
  void totals() {
    BatchCollector.Part part = BatchCollector.Part.of(List.of(
        message("m1", "{\"custom_id\":\"a\",\"response\":{\"status_code\":200},\"error\":null,"
            + "\"llmw\":{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5},\"cost_usd\":0.0015}}"),
        message("m2", "{\"custom_id\":\"b\",\"response\":{\"status_code\":200},\"error\":null,"
            + "\"llmw\":{\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3},\"cost_usd\":0.000001}}"),
        message("m3", "{\"custom_id\":\"c\",\"response\":null,\"error\":{\"code\":\"provider_400\"},"
            + "\"llmw\":{\"usage\":{\"prompt_tokens\":4}}}"),
        message("m4", "not json")));
    assertEquals(new PartTotals(2, 2, 21, 8, 1501), part.totals());
    assertEquals(4, part.lines().toString().split("\n").length, part.lines().toString());
  }
}
