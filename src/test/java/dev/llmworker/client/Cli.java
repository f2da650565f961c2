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
final class Cli {
  private final Path config;

  /** @param endpoint the SQS endpoint the commands use; null = none (they look for a running node's) */
  Cli(Path dir, String endpoint) {
    this(dir, endpoint, new JsonObject());
  }

  Cli(Path dir, String endpoint, JsonObject extra) {
    JsonObject json = new JsonObject().put("sqs", new JsonObject().put("waitTimeSeconds", 1));
    if (endpoint != null) {
      json.getJsonObject("sqs").put("endpoint", endpoint);
    }
    json.mergeIn(extra, true);
    try {
      config = Files.createTempFile(dir, "config", ".json");
      Files.writeString(config, json.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  record Run(int code, String out, String err) {
    String all() {
      return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  /** {@code command... --config FILE}, e.g. {@code run("dlq", "peek")}. */
  Run run(String... command) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> args = new ArrayList<>(List.of(command));
    args.add("--config");
    args.add(config.toString());
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }
}
