package dev.llmworker.client;

import dev.llmworker.app.Main;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs llm-worker commands in this JVM with a config file of their own, capturing what they print. */
public final class Cli {
  private final Path config;

  /** @param endpoint the SQS endpoint the commands use; null = none (they look for a running node's) */
  public Cli(Path dir, String endpoint) {
    this(dir, endpoint, new JsonObject());
  }

  /** Short long polls, {@code endpoint} (unless null), and {@code extra} merged in. */
  public Cli(Path dir, String endpoint, JsonObject extra) {
    this(dir, base(endpoint).mergeIn(extra, true));
  }

  /** Exactly {@code config} as the config file. */
  public Cli(Path dir, JsonObject config) {
    try {
      this.config = Files.createTempFile(dir, "config", ".json");
      Files.writeString(this.config, config.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject base(String endpoint) {
    JsonObject json = new JsonObject().put("sqs", new JsonObject().put("waitTimeSeconds", 1));
    if (endpoint != null) {
      json.getJsonObject("sqs").put("endpoint", endpoint);
    }
    return json;
  }

  public record Run(int exit, String out, String err) {
    public String all() {
      return "exit " + exit + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  /** {@code command... --config FILE}, e.g. {@code run("dlq", "peek")}. */
  public Run run(String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    args.add("--config");
    args.add(config.toString());
    return execute(args.toArray(String[]::new));
  }

  /** The command line as given: no config file beyond what {@code args} names. */
  public static Run execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString().replace("\r\n", "\n"), err.toString());
  }
}
