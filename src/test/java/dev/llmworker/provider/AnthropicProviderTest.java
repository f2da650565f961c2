package dev.llmworker.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.RecordedRequest;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.task.Task;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Anthropic Messages: system apart, max_tokens, stop_sequences, x-api-key and anthropic-version headers. */
class AnthropicProviderTest extends ProviderContractTest {
  @Override
  JsonObject providerConfig(String baseUrl) {
    return new JsonObject().put("type", "anthropic").put("baseUrl", baseUrl);
  }

  @Override
  void checkRequest(RecordedRequest request) {
    assertEquals("/v1/messages", request.path());
    assertEquals(KEY, request.headers().get("x-api-key"));
    assertEquals("2023-06-01", request.headers().get("anthropic-version"));
    JsonObject body = new JsonObject(request.body());
    assertEquals("model-a", body.getString("model"));
    assertEquals(20, body.getInteger("max_tokens"));
    assertEquals("Be brief.", body.getString("system"));
    assertEquals(new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hello there")),
        body.getJsonArray("messages"), "system messages are not among the turns");
    assertEquals(new JsonArray().add("END"), body.getJsonArray("stop_sequences"));
    assertEquals(0.3, body.getDouble("temperature"));
    assertFalse(body.containsKey("stop"), "no OpenAI-only field is passed through");
  }

  @Test
  @DisplayName("a Responses task becomes a Messages request: instructions as system, input_text as the user turn, "
      + "max_output_tokens as max_tokens; tools, reasoning, images and JSON output are refused before any call")
  void responsesTranslated() {
    SqsFixture.await(provider(KEY_ENV).complete(responsesTask("resp-a", "Hello there")));
    JsonObject body = new JsonObject(sim.requests().get(0).body());
    assertEquals("/v1/messages", sim.requests().get(0).path());
    assertEquals("Be brief.", body.getString("system"));
    assertEquals(20, body.getInteger("max_tokens"));
    assertEquals(new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hello there")),
        body.getJsonArray("messages"));

    for (JsonObject extra : java.util.List.of(
        new JsonObject().put("tools", new JsonArray().add(new JsonObject().put("type", "web_search"))),
        new JsonObject().put("reasoning", new JsonObject().put("effort", "high")),
        new JsonObject().put("previous_response_id", "resp_1"),
        new JsonObject().put("text", new JsonObject().put("format", new JsonObject().put("type", "json_schema"))),
        new JsonObject().put("input", new JsonArray().add(new JsonObject().put("role", "user").put("content",
            new JsonArray().add(new JsonObject().put("type", "input_image").put("image_url", "https://x/y.png"))))))) {
      Task task = responsesTask("resp-bad", "hi");
      task.body().mergeIn(extra);
      Throwable error = SqsFixture.awaitFailure(provider(KEY_ENV).complete(task));
      ProviderFailure f = org.junit.jupiter.api.Assertions.assertInstanceOf(ProviderFailure.class, error);
      assertEquals(ProviderFailure.Kind.PERMANENT, f.kind(), extra.encode());
      assertTrue(f.getMessage().contains("cannot"), f.getMessage());
    }
    assertEquals(1, sim.requests().size(), "a refused task made a call");
  }
}
