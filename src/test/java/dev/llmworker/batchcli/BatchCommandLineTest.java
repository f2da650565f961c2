package dev.llmworker.batchcli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.Main;
import dev.llmworker.client.Cli;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch commands' own checks, which need no node: usage problems (exit 2), no node listening (exit 1), help. */
class BatchCommandLineTest {
  private static final String TOKEN = "cli-test-token-0123456789";
  @TempDir
  Path dir;
  private Path input;

  @BeforeEach
  void input() throws IOException {
    Assumptions.assumeTrue(System.getenv("LLMW_API_TOKEN") == null && System.getenv("LLMW_API_TOKENS") == null,
        "these tests set the token through the config file");
    input = Files.writeString(dir.resolve("in.jsonl"), "{}\n");
  }

  private Cli withToken() {
    return new Cli(dir, (String) null, new JsonObject().put("api", new JsonObject().put("tokens",
        new JsonArray().add(TOKEN))));
  }

  @Test
  @DisplayName("no token in LLMW_API_TOKEN or api.tokens: exit 2, saying how to set one")
  void noToken() {
    Cli.Run run = new Cli(dir, new JsonObject()).run("batch", "list", "--url", "http://127.0.0.1:1");
    assertEquals(Main.EXIT_USAGE, run.exit(), run.all());
    assertTrue(run.err().contains("llm-worker: batch list: no API token: set LLMW_API_TOKEN"), run.all());
  }

  @Test
  @DisplayName("create refuses, before any upload, an endpoint the Batch API has not, a missing file, --out "
      + "without --wait, --out naming the input")
  void createUsage() {
    Cli cli = withToken();
    String url = "http://127.0.0.1:1";
    Cli.Run endpoint = cli.run("batch", "create", input.toString(), "--endpoint", "/v1/images", "--url", url);
    assertEquals(Main.EXIT_USAGE, endpoint.exit(), endpoint.all());
    assertTrue(endpoint.err().contains("--endpoint: expected one of /v1/chat/completions, /v1/responses"),
        endpoint.all());
    Cli.Run missing = cli.run("batch", "create", dir.resolve("nope.jsonl").toString(), "--endpoint",
        "/v1/chat/completions", "--url", url);
    assertEquals(Main.EXIT_USAGE, missing.exit(), missing.all());
    assertTrue(missing.err().contains("nope.jsonl: no such file"), missing.all());
    Cli.Run outAlone = cli.run("batch", "create", input.toString(), "--endpoint", "/v1/chat/completions",
        "--out", dir.resolve("o.jsonl").toString(), "--url", url);
    assertEquals(Main.EXIT_USAGE, outAlone.exit(), outAlone.all());
    assertTrue(outAlone.err().contains("--out and --errors go with --wait"), outAlone.all());
    Cli.Run overInput = cli.run("batch", "create", input.toString(), "--endpoint", "/v1/chat/completions",
        "--wait", "--out", input.toString(), "--url", url);
    assertEquals(Main.EXIT_USAGE, overInput.exit(), overInput.all());
    assertTrue(overInput.err().contains("must not name the input file"), overInput.all());
    assertEquals("", endpoint.out() + missing.out() + outAlone.out() + overInput.out());
  }

  @Test
  @DisplayName("no node at the address: one clear line naming the URL and how to start a node, exit 1, no token "
      + "printed")
  void unreachable() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;
    for (String[] command : new String[][] {{"batch", "list"}, {"batch", "get", "batch_x"},
        {"batch", "create", input.toString(), "--endpoint", "/v1/chat/completions"}}) {
      String[] args = Stream.concat(Arrays.stream(command), Stream.of("--url", url)).toArray(String[]::new);
      Cli.Run run = withToken().run(args);
      assertEquals(Main.EXIT_FAILURE, run.exit(), run.all());
      assertTrue(run.err().contains("cannot connect to the Batch API at " + url), run.all());
      assertTrue(run.err().contains("LLMW_API_TOKENS=<token> llm-worker run"), run.all());
      assertEquals(1, run.err().lines().count(), run.all());
      assertFalse(run.err().contains(TOKEN), run.all());
    }
  }

  @Test
  @DisplayName("--help on batch and each subcommand describes it and exits 0")
  void help() {
    Cli.Run batch = Cli.execute("batch", "--help");
    assertEquals(0, batch.exit(), batch.all());
    for (String sub : new String[] {"create", "list", "get", "cancel", "download"}) {
      assertTrue(batch.out().contains(sub), batch.out());
      Cli.Run run = Cli.execute("batch", sub, "--help");
      assertEquals(0, run.exit(), run.all());
      assertTrue(run.out().contains("--url"), run.out());
    }
    assertTrue(Cli.execute("batch", "create", "--help").out().contains("--wait"));
  }
}
