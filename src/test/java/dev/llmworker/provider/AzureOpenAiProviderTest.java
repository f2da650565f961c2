package dev.llmworker.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmworker.sim.RecordedRequest;
import dev.llmworker.support.SqsFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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

  @Test
  @DisplayName("a deployment name with '/', '?', '#', '%' or a space is sent percent-encoded as exactly one path "
      + "segment, and the simulator serves it under that name")
  void deploymentIsOneSegment() {
    String deployment = "team a/b?c#d%2e";
    ProviderReply reply = SqsFixture.await(provider(KEY_ENV).complete(task("enc-1", "Hello there", deployment)));
    RecordedRequest request = sim.requests().get(0);
    assertEquals("/openai/deployments/team%20a%2Fb%3Fc%23d%252e/chat/completions", request.path());
    assertEquals("api-version=2024-10-21", request.query());
    assertEquals(deployment, request.pathParams().get("deployment"));
    assertEquals(deployment, reply.body().getString("model"));
  }
}
