package dev.llmworker.client;

import static dev.llmworker.client.SubmitCommandTest.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.Main;
import dev.llmworker.sqs.FifoIds;
import dev.llmworker.support.SqsFixture;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** {@code submit} to a FIFO tasks queue: message groups from --group-by, deduplication ids from custom_id. */
class SubmitFifoTest {
  @TempDir
  Path dir;
  SqsFixture sqs;

  @BeforeEach
  void startSqs() {
    sqs = SqsFixture.startFifo(30, 5);
  }

  @AfterEach
  void stopSqs() {
    sqs.close();
  }

  @Test
  @DisplayName("--group-by body.model makes the model the message group, keeps the file's order within a group, "
      + "and rejects a line without a model")
  void groupByModel() throws IOException {
    List<String> lines = List.of(
        withModel(task("a-1", "one"), "gpt-4o"),
        withModel(task("a-2", "two"), "gpt-4o-mini"),
        withModel(task("a-3", "three"), "gpt-4o"),
        task("a-4", "four").replace("\"model\":\"gpt-4o-mini\",", ""),
        withModel(task("a-5", "five"), "gpt-4o"),
        withModel(task("a-6", "six"), "gpt-4o-mini"));
    Path file = write(lines);

    Cli.Run run = cli().run("submit", file.toString(), "--queue-url", sqs.queues.tasks(), "--group-by",
        "body.model");

    assertEquals(Main.EXIT_FAILURE, run.exit(), run.all());
    assertTrue(run.err().contains("line 4: missing_model: "), run.err());
    Map<String, List<String>> idsByGroup = new LinkedHashMap<>();
    for (Message m : receiveAll()) {
      String id = new JsonObject(m.body()).getString("custom_id");
      assertEquals(FifoIds.deduplicationId(id),
          m.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID), id);
      idsByGroup.computeIfAbsent(m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID),
          g -> new ArrayList<>()).add(id);
    }
    assertEquals(Map.of("gpt-4o", List.of("a-1", "a-3", "a-5"), "gpt-4o-mini", List.of("a-2", "a-6")), idsByGroup);
  }

  @Test
  @DisplayName("--group-by a top-level field rejects, by line number, a line that lacks it")
  void groupByTopLevelField() throws IOException {
    Path file = write(List.of(
        task("b-1", "one").replace("{\"custom_id\"", "{\"tenant\": \"acme\", \"custom_id\""),
        task("b-2", "two"),
        task("b-3", "three").replace("{\"custom_id\"", "{\"tenant\": 42, \"custom_id\"")));

    Cli.Run run = cli().run("submit", file.toString(), "--queue-url", sqs.queues.tasks(), "--group-by",
        "tenant");

    assertEquals(Main.EXIT_FAILURE, run.exit(), run.all());
    assertTrue(run.err().contains("line 2: missing_group: no \"tenant\" to take the message group from"), run.err());
    Map<String, String> groups = new LinkedHashMap<>();
    receiveAll().forEach(m -> groups.put(new JsonObject(m.body()).getString("custom_id"),
        m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)));
    assertEquals(Map.of("b-1", "acme", "b-3", "42"), groups);
  }

  @Test
  @DisplayName("without --group-by each task is its own group, and a note says so once")
  void ownGroups() throws IOException {
    Path file = write(List.of(task("c-1", "one"), task("c 2 with spaces", "two")));

    Cli.Run run = cli().run("submit", file.toString(), "--queue-url", sqs.queues.tasks());

    assertEquals(Main.EXIT_OK, run.exit(), run.all());
    assertEquals(1, run.out().split("each task is its own message group", -1).length - 1, run.out());
    Map<String, String> groups = new LinkedHashMap<>();
    receiveAll().forEach(m -> groups.put(new JsonObject(m.body()).getString("custom_id"),
        m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)));
    // a custom_id SQS would not take as a group id (spaces) becomes a stable hash of itself
    assertEquals(Map.of("c-1", "c-1", "c 2 with spaces", FifoIds.deduplicationId("c 2 with spaces")), groups);
  }

  private static String withModel(String line, String model) {
    return line.replace("\"model\":\"gpt-4o-mini\"", "\"model\":\"" + model + "\"");
  }

  /** Receives (in order, group by group) and deletes everything in the tasks queue, with group and dedup ids. */
  private List<Message> receiveAll() {
    List<Message> all = new ArrayList<>();
    while (true) {
      List<Message> batch = sqs.sqs().receiveMessage(b -> b.queueUrl(sqs.queues.tasks()).maxNumberOfMessages(10)
          .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID,
              MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID)).join().messages();
      if (batch.isEmpty()) {
        return all;
      }
      all.addAll(batch);
      sqs.sqs().deleteMessageBatch(b -> b.queueUrl(sqs.queues.tasks()).entries(batch.stream().map(m ->
          DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build())
          .toList())).join();
    }
  }

  private Cli cli() {
    return new Cli(dir, new JsonObject().put("sqs", SqsFixture.fifoNames().put("endpoint", sqs.server.endpoint())));
  }

  private Path write(List<String> lines) throws IOException {
    Path file = dir.resolve("tasks.jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }
}
