package dev.llmworker.batch;

import dev.llmworker.client.CheckedTask;
import dev.llmworker.client.InputLines;
import dev.llmworker.client.MessageLimit;
import dev.llmworker.client.TaskLineCheck;
import dev.llmworker.provider.ProviderRoutes;
import dev.llmworker.sqs.FifoIds;
import dev.llmworker.task.TaskDecoder;
import dev.llmworker.task.TaskRejected;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a batch's input file line by line with {@code submit}'s own checks ({@link TaskLineCheck}: the workers'
 * task checks, the provider serving the endpoint, SQS's size and characters, a custom_id used twice) plus the Batch
 * API's own: every line's {@code url} is the batch's endpoint. Streams: a file of any size needs the memory of one
 * line and the seen custom_ids (12 bytes each).
 */
final class BatchLines implements AutoCloseable {
  /** A line that passed, with its custom_id (for an error line if SQS then refuses it). */
  record Good(CheckedTask task, String customId) {}

  private final InputLines input;
  private final TaskLineCheck check;
  private final String endpoint;
  private final String batchId;
  private long requests;

  /** What the checks need: the configured providers and the largest message the tasks queue takes. */
  record Rules(TaskDecoder decoder, ProviderRoutes routes, MessageLimit limit, String tasksQueue) {}

  /**
   * @param batchId scopes FIFO deduplication ids: SQS drops a message whose id it saw in the last 5 minutes, and
   *                two batches often use the same custom_ids
   */
  BatchLines(Path file, String endpoint, String batchId, Rules rules) {
    this.batchId = batchId;
    try {
      this.input = new InputLines(Files.newInputStream(file), rules.limit());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean fifo = FifoIds.isFifo(rules.tasksQueue());
    this.check = new TaskLineCheck(rules.decoder(), rules.routes(), rules.limit(), null, fifo, null);
    this.endpoint = endpoint;
  }

  /** The next line (good, or a {@link TaskRejected} thrown with its line number), or null at the end. */
  Good next(java.util.function.BiConsumer<Long, TaskRejected> rejected) throws IOException {
    InputLines.Line line;
    while ((line = input.next()) != null) {
      requests++;
      try {
        CheckedTask task = check.check(line);
        String customId = urlMatches(line.text());
        return new Good(task.deduplicationId() == null ? task : new CheckedTask(task.line(), task.body(),
            task.bytes(), task.groupId(), FifoIds.deduplicationId(batchId + ":" + customId)), customId);
      } catch (TaskRejected e) {
        rejected.accept(line.number(), e);
      }
    }
    return null;
  }

  /** Non-blank lines read so far. */
  long requests() {
    return requests;
  }

  /** The line's custom_id when its url is the batch's endpoint; the checks before made sure it is an object. */
  private String urlMatches(String text) {
    JsonObject line;
    try {
      line = new JsonObject(text);
    } catch (DecodeException e) {
      throw new TaskRejected("invalid_json", "not a JSON object", null);
    }
    String url = line.getValue("url") instanceof String s ? s : null;
    String customId = line.getValue("custom_id") instanceof String s ? s : null;
    if (!endpoint.equals(url)) {
      throw new TaskRejected("mismatched_url", "the url \"" + TaskDecoder.clip(String.valueOf(url))
          + "\" is not the batch's endpoint \"" + endpoint + "\": every line of a batch uses its endpoint", customId);
    }
    return customId;
  }

  @Override
  public void close() throws IOException {
    input.close();
  }
}
