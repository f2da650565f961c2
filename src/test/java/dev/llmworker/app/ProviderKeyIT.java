package dev.llmworker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sqs.BulkSender;
import dev.llmworker.sqs.SqsClients;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.JarProcess;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.TestConfig;
import dev.llmworker.support.TestTasks;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 1 with the fat jar as users run it: OPENAI_API_KEY in the environment and only the base URL
 * pointed elsewhere (the recipe for Ollama, vLLM, OpenRouter...) must not send that key there.
 */
class ProviderKeyIT {
  private static final String SECRET = "sk-capture-secret-0123456789";
  private final Vertx vertx = Vertx.vertx();
  /** The Authorization header of every request the capture server got ("" when it had none). */
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private HttpServer capture;

  @BeforeEach
  void startCapture() {
    capture = SqsFixture.await(vertx.createHttpServer().requestHandler(request -> {
      String auth = request.getHeader("Authorization");
      authorizations.add(auth == null ? "" : auth);
      request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
          .put("id", "chatcmpl-capture").put("object", "chat.completion").put("model", "sim-1")
          .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
              .put("message", new JsonObject().put("role", "assistant").put("content", "captured"))))
          .put("usage", new JsonObject().put("prompt_tokens", 3).put("completion_tokens", 1)
              .put("total_tokens", 4)).encode());
    }).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void tearDown() {
    SqsFixture.await(vertx.close());
  }

  private Map<String, String> env(String apiKeyEnv) {
    Map<String, String> env = new HashMap<>(Map.of(
        "OPENAI_API_KEY", SECRET,
        "LLMW_PROVIDER_BASE_URL", "http://127.0.0.1:" + capture.actualPort() + "/v1",
        "LLMW_SQS_EMBEDDED_PORT", "0",
        "LLMW_MONITOR_PORT", "0",
        "LLMW_SQS_WAIT_TIME_SECONDS", "1"));
    if (apiKeyEnv != null) {
      env.put("LLMW_PROVIDER_API_KEY_ENV", apiKeyEnv);
    }
    return env;
  }

  /** Runs the jar, sends one task through its embedded SQS and returns once the capture server has it. */
  private String runOneTask(JarProcess jar) throws Exception {
    String endpoint = jar.awaitLine(l -> l.contains("SQS: http://"), Duration.ofSeconds(60))
        .replaceAll(".*SQS: ", "").replaceAll(" .*", "").trim();
    String tasksUrl = jar.awaitLine(l -> l.contains("tasks queue: "), Duration.ofSeconds(5))
        .replaceAll(".*tasks queue: ", "").trim();
    String provider = jar.awaitLine(l -> l.contains("provider default"), Duration.ofSeconds(5));
    try (SqsClients clients = new SqsClients(TestConfig.with(new JsonObject().put("sqs",
        new JsonObject().put("endpoint", endpoint))).sqs(), 1)) {
      new BulkSender(clients.operations(), tasksUrl).send(0, 1, n -> TestTasks.chat("key-" + n, "hello"));
    }
    Eventually.await(Duration.ofSeconds(60), () -> !authorizations.isEmpty(), jar::output);
    return provider;
  }

  @Test
  @DisplayName("OPENAI_API_KEY set, only the base URL changed: the start stops (exit 2) naming provider.apiKeyEnv "
      + "and nothing reaches the host; named explicitly, the key goes there and the start-up summary says so; "
      + "'none' sends no key")
  void keyGoesOnlyWhereNamed() throws Exception {
    try (JarProcess jar = JarProcess.start(env(null), "run")) {
      assertEquals(2, jar.awaitExit(Duration.ofSeconds(60)), jar.output());
      assertTrue(jar.output().contains("provider.apiKeyEnv: expected the name of the variable holding the key for "
          + "127.0.0.1"), jar.output());
      assertTrue(jar.output().contains("LLMW_PROVIDER_API_KEY_ENV"), jar.output());
      assertTrue(!jar.output().contains(SECRET), "the key itself was printed");
    }
    assertEquals(List.of(), authorizations, "the capture server was called");

    try (JarProcess jar = JarProcess.start(env("OPENAI_API_KEY"), "run")) {
      String summary = runOneTask(jar);
      assertTrue(summary.contains("API key from OPENAI_API_KEY sent to 127.0.0.1"), summary);
      assertEquals("Bearer " + SECRET, authorizations.get(0));
      assertTrue(!jar.output().contains(SECRET), "the key itself was printed");
    }

    authorizations.clear();
    try (JarProcess jar = JarProcess.start(env("none"), "run")) {
      String summary = runOneTask(jar);
      assertTrue(summary.contains("no API key sent"), summary);
      assertEquals("", authorizations.get(0), "a key was sent although apiKeyEnv is none");
    }
  }
}
