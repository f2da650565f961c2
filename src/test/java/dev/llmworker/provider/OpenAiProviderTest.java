package dev.llmworker.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmworker.sim.RecordedRequest;
import io.vertx.core.json.JsonObject;

/** OpenAI chat completions: POST {base}/chat/completions, Bearer key, organisation/project and extra headers. */
class OpenAiProviderTest extends ProviderContractTest {
  @Override
  JsonObject providerConfig(String baseUrl) {
    return new JsonObject().put("type", "openai").put("baseUrl", baseUrl + "/v1").put("organization", "org-1")
        .put("project", "proj-1").put("headers", new JsonObject().put("X-Team", "search"));
  }

  @Override
  void checkRequest(RecordedRequest request) {
    assertEquals("POST", request.method());
    assertEquals("/v1/chat/completions", request.path());
    assertEquals("Bearer " + KEY, request.headers().get("Authorization"));
    assertEquals("org-1", request.headers().get("OpenAI-Organization"));
    assertEquals("proj-1", request.headers().get("OpenAI-Project"));
    assertEquals("search", request.headers().get("X-Team"));
    JsonObject body = new JsonObject(request.body());
    assertEquals(task("ok-1", "Hello there").body(), body, "the task's body is sent unchanged");
  }
}
