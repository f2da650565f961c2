package dev.llmworker.batchcli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.support.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApiTargetTest {
  private static final String CONFIG_TOKEN = "config-token-0123456789";
  private static final String ENV_TOKEN = "env-token-0123456789ab";

  private static Supplier<LlmwConfig> config(String host, int port, String... tokens) {
    return () -> TestConfig.with(new JsonObject().put("monitor", new JsonObject().put("host", host).put("port", port))
        .put("api", new JsonObject().put("tokens", new JsonArray(List.of((Object[]) tokens)))));
  }

  private static Supplier<LlmwConfig> notRead() {
    return () -> {
      throw new AssertionError("the configuration was read although --url and the token were given");
    };
  }

  @Test
  @DisplayName("without --url: the monitor's address, a wildcard host read as 127.0.0.1, an IPv6 host bracketed")
  void defaultUrl() {
    assertEquals(URI.create("http://127.0.0.1:8080"), ApiTarget.resolve(null, k -> null,
        config("0.0.0.0", 8080, CONFIG_TOKEN)).base());
    assertEquals(URI.create("http://127.0.0.1:9000"), ApiTarget.resolve(null, k -> null,
        config("::", 9000, CONFIG_TOKEN)).base());
    assertEquals(URI.create("http://[::1]:9000"), ApiTarget.resolve(null, k -> null,
        config("::1", 9000, CONFIG_TOKEN)).base());
    assertEquals(URI.create("http://10.0.0.7:8081/v1/batches/b1"), ApiTarget.resolve(null, k -> null,
        config("10.0.0.7", 8081, CONFIG_TOKEN)).resolve("batches/b1"));
  }

  @Test
  @DisplayName("--url with or without /v1 and a proxy prefix; anything but an http(s) address is a usage problem")
  void urlOption() {
    assertEquals(URI.create("http://h:1/v1/files"), new ApiTarget(ApiTarget.fromOption("http://h:1/v1/"), "t")
        .resolve("files"));
    assertEquals(URI.create("https://proxy.example/llmw"), ApiTarget.fromOption("https://proxy.example/llmw/v1"));
    assertEquals(URI.create("http://h:1"), ApiTarget.fromOption("http://h:1/"));
    for (String bad : new String[] {"127.0.0.1:8080", "ftp://h/", "http://", "http://h:1/?x=1", "not a url"}) {
      UsageProblem e = assertThrows(UsageProblem.class, () -> ApiTarget.fromOption(bad), bad);
      assertTrue(e.getMessage().startsWith("--url: expected"), e.getMessage());
    }
  }

  @Test
  @DisplayName("the token: LLMW_API_TOKEN first, else the first of api.tokens; with both --url and the variable "
      + "the configuration is not read at all")
  void token() {
    Map<String, String> env = Map.of("LLMW_API_TOKEN", ENV_TOKEN);
    assertEquals(ENV_TOKEN, ApiTarget.resolve(null, env::get, config("127.0.0.1", 8080, CONFIG_TOKEN)).token());
    assertEquals(CONFIG_TOKEN, ApiTarget.resolve(null, k -> null,
        config("127.0.0.1", 8080, CONFIG_TOKEN, "second-token-0123456789")).token());
    ApiTarget both = ApiTarget.resolve("http://127.0.0.1:1", env::get, notRead());
    assertEquals(ENV_TOKEN, both.token());
    assertFalse(both.toString().contains(ENV_TOKEN), both.toString());
  }

  @Test
  @DisplayName("no token anywhere: a usage problem that says how to set one; monitor.port 0 asks for --url")
  void missing() {
    UsageProblem none = assertThrows(UsageProblem.class, () -> ApiTarget.resolve(null, k -> " ",
        config("127.0.0.1", 8080)));
    assertTrue(none.getMessage().contains("LLMW_API_TOKEN") && none.getMessage().contains("api.tokens"),
        none.getMessage());
    UsageProblem anyPort = assertThrows(UsageProblem.class, () -> ApiTarget.resolve(null, k -> null,
        config("127.0.0.1", 0, CONFIG_TOKEN)));
    assertTrue(anyPort.getMessage().contains("--url"), anyPort.getMessage());
  }
}
