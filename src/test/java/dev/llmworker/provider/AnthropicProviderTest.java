package dev.llmworker.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.llmworker.sim.RecordedRequest;
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
}
