package dev.llmworker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.support.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Which key each provider sends (issue 17 item 1). The surefire environment has LLMW_TEST_API_KEY set and no
 * vendor variable; the case "vendor variable set, base URL elsewhere" runs in {@link ProviderKeyIT} with its own
 * environment.
 */
class ProviderKeysTest {
  private static List<LlmwConfig.Provider> providers(JsonObject provider, JsonObject... more) {
    JsonArray list = new JsonArray();
    for (JsonObject p : more) {
      list.add(p);
    }
    return TestConfig.with(new JsonObject().put("provider", provider).put("providers", list)).providers();
  }

  private static ConfigException refused(JsonObject provider, JsonObject... more) {
    return assertThrows(ConfigException.class, () -> providers(provider, more));
  }

  @Test
  @DisplayName("left empty, a type's own variable goes to the vendor's own host only: OpenAI, Anthropic, Azure")
  void standardVariableForTheVendorsHost() {
    List<LlmwConfig.Provider> p = providers(new JsonObject(),
        new JsonObject().put("name", "claude").put("type", "anthropic"),
        new JsonObject().put("name", "az").put("type", "azure").put("baseUrl", "https://acme.openai.azure.com"),
        new JsonObject().put("name", "ollama").put("baseUrl", "http://10.0.0.7:11434/v1"),
        new JsonObject().put("name", "bedrock").put("type", "bedrock").put("apiKeyEnv", "LLMW_TEST_API_KEY"));
    assertEquals(List.of("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AZURE_OPENAI_API_KEY", "", ""),
        p.stream().map(LlmwConfig.Provider::apiKeyEnv).toList());
    assertEquals("no API key sent", ProviderKeys.describe(p.get(3)));
    assertEquals("signed with AWS credentials (default chain)", ProviderKeys.describe(p.get(4)));
  }

  @Test
  @DisplayName("a variable named explicitly goes to whatever baseUrl says, and the summary says where; 'none' = no key")
  void namedVariableGoesWhereTold() {
    List<LlmwConfig.Provider> p = providers(
        new JsonObject().put("baseUrl", "https://openrouter.ai/api/v1").put("apiKeyEnv", "LLMW_TEST_API_KEY"),
        new JsonObject().put("name", "none").put("baseUrl", "https://api.openai.com/v1").put("apiKeyEnv", "none"));
    assertEquals("LLMW_TEST_API_KEY", p.get(0).apiKeyEnv());
    assertEquals("API key from LLMW_TEST_API_KEY sent to openrouter.ai", ProviderKeys.describe(p.get(0)));
    assertEquals("", p.get(1).apiKeyEnv(), "'none' sends nothing, even to the vendor's own host");
  }

  @Test
  @DisplayName("a key over plain http:// to a host other than loopback is refused naming baseUrl and allowInsecure; "
      + "loopback, allowInsecure, or no key at all are fine")
  void insecureKeyRefused() {
    ConfigException e = refused(new JsonObject().put("baseUrl", "http://gpu-box.lan:8000/v1")
        .put("apiKeyEnv", "LLMW_TEST_API_KEY"));
    assertTrue(e.getMessage().startsWith("provider.baseUrl: expected an https:// URL"), e.getMessage());
    assertTrue(e.getMessage().contains("provider.allowInsecure"), e.getMessage());

    ConfigException inList = refused(new JsonObject(), new JsonObject().put("name", "lan")
        .put("baseUrl", "http://192.168.1.9/v1").put("apiKeyEnv", "LLMW_TEST_API_KEY"));
    assertTrue(inList.getMessage().startsWith("providers[0].baseUrl:"), inList.getMessage());

    List<LlmwConfig.Provider> ok = providers(
        new JsonObject().put("baseUrl", "http://127.0.0.1:8000/v1").put("apiKeyEnv", "LLMW_TEST_API_KEY"),
        new JsonObject().put("name", "lan").put("baseUrl", "http://gpu-box.lan:8000/v1")
            .put("apiKeyEnv", "LLMW_TEST_API_KEY").put("allowInsecure", true),
        new JsonObject().put("name", "v6").put("baseUrl", "http://[::1]:8000/v1").put("apiKeyEnv", "LLMW_TEST_API_KEY"),
        new JsonObject().put("name", "keyless").put("baseUrl", "http://gpu-box.lan:8000/v1"));
    assertEquals(List.of("LLMW_TEST_API_KEY", "LLMW_TEST_API_KEY", "LLMW_TEST_API_KEY", ""),
        ok.stream().map(LlmwConfig.Provider::apiKeyEnv).toList());
  }

  @Test
  @DisplayName("OPENAI_API_KEY named for another vendor's type is still refused")
  void openAiKeyNotForOtherVendors() {
    ConfigException e = refused(new JsonObject(), new JsonObject().put("name", "claude").put("type", "anthropic")
        .put("apiKeyEnv", "OPENAI_API_KEY"));
    assertTrue(e.getMessage().startsWith("providers[0].apiKeyEnv:"), e.getMessage());
  }
}
