package dev.llmworker.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmworker.sim.RecordedRequest;
import io.vertx.core.json.JsonObject;

/** Azure OpenAI: the deployment in the path, api-version in the query, the key in an api-key header. */
class AzureOpenAiProviderTest extends ProviderContractTest {
  @Override
  JsonObject providerConfig(String baseUrl) {
    return new JsonObject().put("type", "azure").put("baseUrl", baseUrl).put("apiVersion", "2024-10-21")
        .put("modelMap", new JsonObject().put("model-a", "prod-deployment"));
  }

  @Override
  void checkRequest(RecordedRequest request) {
    assertEquals("/openai/deployments/prod-deployment/chat/completions", request.path());
    assertEquals("api-version=2024-10-21", request.query());
    assertEquals(KEY, request.headers().get("api-key"));
    assertNull(request.headers().get("Authorization"), "no Bearer header for Azure");
  }
}
