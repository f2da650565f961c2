package dev.llmworker.batchcli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.Main;
import dev.llmworker.client.Cli;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch commands against a real node in this JVM: the Files and Batches API on, the built-in LLM simulator
 * behind it over HTTP, ElasticMQ for the queues, the embedded store in a temporary directory.
 */
class BatchCliTest {
  private static final String TOKEN = "batch-cli-test-token-1";
  @TempDir
  Path dir;
  private final Stack stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));
  private String url;

  @BeforeEach
  void startNode() {
    Assumptions.assumeTrue(System.getenv("LLMW_API_TOKEN") == null, "the tests give the token in the config file");
    url = stack.startNode(json -> json.put("api", new JsonObject().put("tokens", new JsonArray().add(TOKEN)))
        .put("store", new JsonObject().put("embedded", new JsonObject().put("dir", dir.resolve("store").toString()))))
        .monitorUrl();
  }

  @AfterEach
  void stopNode() {
    stack.close();
  }

  private Cli cli(String token) {
    return new Cli(dir, new JsonObject().put("api", new JsonObject().put("tokens", new JsonArray().add(token))));
  }

  private Cli.Run batch(String... args) {
    return withUrl(cli(TOKEN), args);
  }

  private Cli.Run withUrl(Cli cli, String... args) {
    List<String> command = new ArrayList<>(List.of("batch"));
    command.addAll(List.of(args));
    command.addAll(List.of("--url", url));
    return cli.run(command.toArray(String[]::new));
  }

  private Path input(String name, List<String> lines) throws IOException {
    return Files.write(dir.resolve(name), lines);
  }

  static List<String> chatLines(int count) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(TestTasks.chat("req-" + i, "question " + i));
    }
    return lines;
  }

  @Test
  @DisplayName("a wrong token: exit 1 with the API's own message, the token nowhere in the output")
  void wrongToken() throws IOException {
    Path in = input("in.jsonl", chatLines(3));
    String wrong = "not-the-right-token-42";
    for (String[] args : new String[][] {{"list"}, {"create", in.toString(), "--endpoint", "/v1/chat/completions"}}) {
      Cli.Run run = withUrl(cli(wrong), args);
      assertEquals(Main.EXIT_FAILURE, run.exit(), run.all());
      assertTrue(run.err().contains("llm-worker: error: Incorrect API key provided"), run.all());
      assertFalse(run.all().contains(wrong) || run.all().contains(TOKEN), run.all());
      assertEquals("", run.out(), run.all());
    }
  }
}
