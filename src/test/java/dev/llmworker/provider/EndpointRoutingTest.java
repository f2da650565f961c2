package dev.llmworker.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.RecordedRequest;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Stack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Issue 18 items 1-2 through a real node: tasks go to providers that serve their endpoint (by name, by model, by
 * the default), fallbacks skip providers that do not, and an endpoint the chosen provider lacks is dead-lettered
 * with a readable reason before any call. All providers are dialects of the one simulator.
 */
class EndpointRoutingTest {
  private final Stack stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));

  @AfterEach
  void tearDown() {
    stack.close();
  }

  private static String task(String id, String url, String provider, JsonObject body) {
    JsonObject line = new JsonObject().put("custom_id", id).put("url", url).put("body", body);
    return (provider == null ? line : line.put("provider", provider)).encode();
  }

  private static JsonObject embed(String model) {
    return new JsonObject().put("model", model).put("input", new JsonArray().add("alpha").add("beta"));
  }

  @Test
  @DisplayName("embeddings to an anthropic provider and moderations to an azure one are dead-lettered as "
      + "unsupported_endpoint naming both and who does serve it, after no call; a model listed by the azure "
      + "provider goes there on its own path; the default serves the rest")
  void routesAndRefusals() throws Exception {
    String root = stack.sim.baseUrl().replaceAll("/v1$", "");
    stack.startNode(json -> json.put("providers", new JsonArray()
        .add(new JsonObject().put("name", "claude").put("type", "anthropic").put("baseUrl", root)
            .put("apiKeyEnv", "none"))
        .add(new JsonObject().put("name", "az").put("type", "azure").put("baseUrl", root).put("apiKeyEnv", "none")
            .put("models", new JsonArray().add("az-embed")))));
    stack.sqs.enqueue(1, n -> task("emb-claude", "/v1/embeddings", "claude", embed("text-embedding-3-small")));
    stack.sqs.enqueue(1, n -> task("mod-az", "/v1/moderations", "az", new JsonObject()
        .put("model", "omni-moderation-latest").put("input", "hello")));
    stack.sqs.enqueue(1, n -> task("emb-az", "/v1/embeddings", null, embed("az-embed")));
    stack.sqs.enqueue(1, n -> task("emb-default", "/v1/embeddings", null, embed("text-embedding-3-small")));
    stack.sqs.enqueue(1, n -> task("resp-claude", "/v1/responses", "claude", new JsonObject()
        .put("model", "claude-x").put("input", "hello")));

    stack.awaitDeadLettered(2);
    Map<String, Message> dead = stack.sqs.drain(stack.sqs.queues.dlq()).stream().collect(Collectors.toMap(
        m -> new JsonObject(m.body()).getString("custom_id"), m -> m));
    String claudeReason = dead.get("emb-claude").messageAttributes().get("llmw-error-reason").stringValue();
    assertEquals("unsupported_endpoint", dead.get("emb-claude").messageAttributes().get("llmw-error-code")
        .stringValue());
    assertTrue(claudeReason.contains("claude (anthropic) does not serve /v1/embeddings")
        && claudeReason.contains("[default, az]"), claudeReason);
    String azReason = dead.get("mod-az").messageAttributes().get("llmw-error-reason").stringValue();
    assertTrue(azReason.contains("az (azure) does not serve /v1/moderations") && azReason.contains("[default]"),
        azReason);

    Map<String, JsonObject> results = new java.util.HashMap<>();
    dev.llmworker.support.Eventually.await(java.time.Duration.ofSeconds(20), () -> {
      stack.results().forEach((id, lines) -> results.put(id, lines.get(0)));
      return results.keySet().containsAll(List.of("emb-az", "emb-default", "resp-claude", "emb-claude"));
    }, () -> "results: " + results.keySet());
    for (String id : List.of("emb-az", "emb-default", "resp-claude")) {
      JsonObject result = results.get(id);
      assertEquals(200, result.getJsonObject("response").getInteger("status_code"), result.encode());
    }
    assertEquals("unsupported_endpoint", results.get("emb-claude").getJsonObject("error").getString("code"));
    assertEquals("az", results.get("emb-az").getJsonObject("llmw").getString("provider"));
    assertEquals("default", results.get("emb-default").getJsonObject("llmw").getString("provider"));
    assertEquals("response", results.get("resp-claude").getJsonObject("response").getJsonObject("body")
        .getString("object"));

    List<String> paths = stack.sim.requests().stream().map(RecordedRequest::path).sorted().toList();
    assertEquals(List.of("/openai/deployments/az-embed/embeddings", "/v1/embeddings", "/v1/messages"), paths,
        "the refused tasks made no call");
    assertEquals(0, stack.sim.stats().countFor("emb-claude") + stack.sim.stats().countFor("mod-az"));
    stack.assertCountersAddUp();
  }

  @Test
  @DisplayName("fallbacks skip providers that do not serve the endpoint: chat may fall back to anthropic and "
      + "azure, embeddings only to azure, moderations to none")
  void fallbacksServeTheEndpoint() {
    ProviderRoutes routes = new ProviderRoutes(dev.llmworker.support.TestConfig.with(new JsonObject()
        .put("provider", new JsonObject().put("apiKeyEnv", "none").put("fallbacks", new JsonArray().add("claude")
            .add("az")))
        .put("providers", new JsonArray()
            .add(new JsonObject().put("name", "claude").put("type", "anthropic").put("apiKeyEnv", "none"))
            .add(new JsonObject().put("name", "az").put("type", "azure").put("apiKeyEnv", "none")
                .put("baseUrl", "https://acme.openai.azure.com")))).providers());
    assertEquals(List.of("default", "claude", "az"), routes.chain("default", dev.llmworker.task.Endpoint.CHAT));
    assertEquals(List.of("default", "az"), routes.chain("default", dev.llmworker.task.Endpoint.EMBEDDINGS));
    assertEquals(List.of("default"), routes.chain("default", dev.llmworker.task.Endpoint.MODERATIONS));
    assertEquals(List.of("default", "claude"), routes.chain("default", dev.llmworker.task.Endpoint.RESPONSES)
        .subList(0, 2));
  }
}
