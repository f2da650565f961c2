package dev.llmworker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;
  Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    System.clearProperty("llmw.worker.concurrency");
    System.clearProperty("llmw.provider.baseUrl");
    vertx.close().await();
  }

  private LlmwConfig load(String json) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, json);
    return ConfigLoader.load(vertx, file).await();
  }

  private ConfigException failure(String json) {
    Exception e = assertThrows(Exception.class, () -> load(json));
    assertTrue(Main.rootConfigError(e) instanceof ConfigException, "expected a ConfigException, got " + e);
    return (ConfigException) Main.rootConfigError(e);
  }

  @Test
  @DisplayName("the shipped defaults parse and mean: embedded SQS, 127.0.0.1:8080, 2 x 50 workers")
  void defaults() throws Exception {
    LlmwConfig config = load("{}");
    assertTrue(config.sqs().embedded());
    assertEquals("127.0.0.1", config.monitor().host());
    assertEquals(8080, config.monitor().port());
    assertEquals(100, config.worker().capacity());
    assertEquals(5, config.sqs().maxReceiveCount());
  }

  @Test
  @DisplayName("a file overrides one nested key and keeps the other defaults of that section")
  void deepMerge() throws Exception {
    LlmwConfig config = load("{\"worker\":{\"instances\":4}}");
    assertEquals(4, config.worker().instances());
    assertEquals(50, config.worker().concurrency());
  }

  @Test
  @DisplayName("system properties -Dllmw.<key> win over the file, typed by the default's type")
  void systemProperties() throws Exception {
    System.setProperty("llmw.worker.concurrency", "7");
    System.setProperty("llmw.provider.baseUrl", "http://127.0.0.1:8089/v1/");
    LlmwConfig config = load("{\"worker\":{\"concurrency\":3}}");
    assertEquals(7, config.worker().concurrency());
    assertEquals("http://127.0.0.1:8089/v1", config.provider().baseUrl());
  }

  @Test
  @DisplayName("environment variable names are LLMW_ plus the key path in upper snake case")
  void envNames() {
    assertEquals("LLMW_SQS_QUEUE_URL", ConfigLoader.envName("sqs.queueUrl"));
    assertEquals("LLMW_WORKER_INSTANCES", ConfigLoader.envName("worker.instances"));
    assertEquals("LLMW_PROVIDER_BASE_URL", ConfigLoader.envName("provider.baseUrl"));
    assertEquals("LLMW_SQS_EMBEDDED_PORT", ConfigLoader.envName("sqs.embedded.port"));
  }

  @Test
  @DisplayName("every key of conf/config.json is a key the parser reads (no dead keys)")
  void everyKeyIsUsed() throws Exception {
    JsonObject defaults = ConfigLoader.defaults();
    for (String key : ConfigLoader.leafKeys(defaults, "")) {
      JsonObject broken = defaults.copy();
      String[] parts = key.split("\\.");
      JsonObject node = broken;
      for (int i = 0; i < parts.length - 1; i++) {
        node = node.getJsonObject(parts[i]);
      }
      // maps whose keys are the user's (headers, prices) accept any object: give them a number instead
      node.put(parts[parts.length - 1], ConfigLoader.FREE_FORM.contains(key) ? (Object) 42
          : new JsonObject().put("not", "valid"));
      ConfigException e = assertThrows(ConfigException.class, () -> LlmwConfig.parse(broken), key);
      assertTrue(e.getMessage().startsWith(key), "message should name " + key + ": " + e.getMessage());
    }
  }

  @Test
  @DisplayName("bad values fail with the key and the expected form")
  void badValues() {
    assertTrue(failure("{\"worker\":{\"instances\":\"four\"}}").getMessage()
        .startsWith("worker.instances: expected an integer from 0 to 256"));
    assertTrue(failure("{\"sqs\":{\"waitTimeSeconds\":21}}").getMessage().startsWith("sqs.waitTimeSeconds"));
    assertTrue(failure("{\"provider\":{\"baseUrl\":\"ftp://x\"}}").getMessage().startsWith("provider.baseUrl"));
    assertTrue(failure("{\"worker\":{\"instanses\":2}}").getMessage().contains("worker.instanses: unknown key"));
  }

  @Test
  @DisplayName("a file that is not JSON, or a missing --config file, is a config error")
  void badFile() throws Exception {
    assertTrue(failure("{not json").getMessage().contains("expected a JSON object"));
    Exception e = assertThrows(Exception.class, () -> ConfigLoader.load(vertx, dir.resolve("nope.json")).await());
    assertTrue(Main.rootConfigError(e).getMessage().startsWith("--config: file not found"));
  }

  @Test
  @DisplayName("a monitor token that is short or an unexpanded variable fails at start, without showing the token")
  void weakTokens() throws Exception {
    ConfigException shortToken = failure("{\"monitor\":{\"token\":\"hunter2\"}}");
    assertTrue(shortToken.getMessage().startsWith("monitor.token: expected empty (controls off) or at least 16"),
        shortToken.getMessage());
    assertTrue(!shortToken.getMessage().contains("hunter2"), shortToken.getMessage());
    for (String literal : new String[] {"${LLMW_MONITOR_TOKEN:-}", "${LLMW_MONITOR_TOKEN}", "$LLMW_MONITOR_TOKEN",
        "prefix-${TOKEN}-and-more-text", "%LLMW_MONITOR_TOKEN%"}) {
      String message = failure("{\"monitor\":{\"token\":\"" + literal + "\"}}").getMessage();
      assertTrue(message.startsWith("monitor.token: looks like an unexpanded variable"), message);
    }
    assertEquals("", load("{\"monitor\":{\"token\":\"\"}}").monitor().token());
    assertEquals("0123456789abcdef", load("{\"monitor\":{\"token\":\"0123456789abcdef\"}}").monitor().token());
  }

  @Test
  @DisplayName("a task deadline shorter than one provider call fails at start naming both keys; the poller's backstop "
      + "is derived from the deadline")
  void incoherentTimeouts() throws Exception {
    String message = failure("{\"worker\":{\"taskTimeoutSeconds\":60},\"provider\":{\"requestTimeoutSeconds\":120}}")
        .getMessage();
    assertTrue(message.startsWith("worker.taskTimeoutSeconds (60) is shorter than provider.requestTimeoutSeconds "
        + "(120) of provider default"), message);
    String second = failure("{\"providers\":[{\"name\":\"slow\",\"type\":\"openai\",\"baseUrl\":\"http://x\","
        + "\"requestTimeoutSeconds\":1000}]}").getMessage();
    assertTrue(second.contains("providers[0].requestTimeoutSeconds (1000) of provider slow"), second);
    assertEquals((900 + 60 + 30) * 1000L, load("{\"provider\":{\"requestTimeoutSeconds\":60}}").workerBackstopMs());
  }

  @Test
  @DisplayName("the monitor token never shows in the config's string form")
  void tokenHidden() {
    assertTrue(!new LlmwConfig.Monitor("127.0.0.1", 8080, "s3cret").toString().contains("s3cret"));
  }
}
