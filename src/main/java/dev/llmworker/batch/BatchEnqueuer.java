package dev.llmworker.batch;

import dev.llmworker.client.TaskBatchSender;
import dev.llmworker.task.BatchTag;
import dev.llmworker.task.ResultLine;
import dev.llmworker.task.TaskRejected;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The two passes over a batch's input file, both blocking (run on a worker thread): validation reads every line and
 * reports each invalid one by number, as OpenAI does, enqueueing nothing; enqueueing sends the lines to the tasks
 * queue tagged with the batch ({@link BatchTag}) through {@code submit}'s sender, a chunk at a time, reporting each
 * chunk done so that a node taking over after a crash starts after it.
 */
final class BatchEnqueuer {
  /** Errors kept in the batch object; the last one says how many more there were. */
  static final int MAX_ERRORS = 1_000;
  static final int CHUNK = 1_000;
  private static final int IN_FLIGHT_BATCHES = 16;

  private final BatchLines.Rules rules;
  private final SqsAsyncClient sqs;
  private final int maxLines;

  /** Lines SQS refused for good while enqueueing: their error lines, to be stored as a part of the batch. */
  record Refused(List<String> lines) {}

  BatchEnqueuer(BatchLines.Rules rules, SqsAsyncClient sqs, int maxLines) {
    this.rules = rules;
    this.sqs = sqs;
    this.maxLines = maxLines;
  }

  /** The result of validation: the number of requests, or the errors (OpenAI's {@code errors} object). */
  record Validation(long requests, JsonObject errors) {
    boolean valid() {
      return errors == null;
    }
  }

  Validation validate(Path file, String endpoint) throws IOException {
    JsonArray errors = new JsonArray();
    long[] count = {0};
    try (BatchLines lines = new BatchLines(file, endpoint, "validation", rules)) {
      while (lines.next((line, e) -> error(errors, count, line, e)) != null) {
        if (lines.requests() > maxLines) {
          break;
        }
      }
      if (lines.requests() > maxLines) {
        errors.add(error("too_many_requests", "the file has more than " + maxLines + " requests, the most a batch "
            + "may have (api.maxBatchLines)", null));
        count[0]++;
      } else if (lines.requests() == 0) {
        errors.add(error("empty_file", "the file has no requests", null));
        count[0]++;
      }
      if (count[0] > errors.size()) {
        errors.add(error("more_errors", (count[0] - errors.size()) + " more invalid lines are not listed", null));
      }
      return count[0] == 0 ? new Validation(lines.requests(), null)
          : new Validation(lines.requests(), new JsonObject().put("object", "list").put("data", errors));
    }
  }

  private static void error(JsonArray errors, long[] count, long line, TaskRejected e) {
    count[0]++;
    if (errors.size() < MAX_ERRORS) {
      errors.add(error(e.code(), e.getMessage(), line));
    }
  }

  private static JsonObject error(String code, String message, Long line) {
    return new JsonObject().put("code", code).put("message", message).putNull("param").put("line", line);
  }

  /**
   * Sends the requests after the first {@code skip} (sent before a crash), calling {@code chunkDone} with the number
   * sent so far after each chunk has settled in SQS. Returns the error lines of requests SQS refused for good.
   */
  Refused enqueue(Path file, String endpoint, String batchId, long expiresAt, long skip,
      java.util.function.LongConsumer chunkDone) throws IOException, InterruptedException {
    List<String> refused = new ArrayList<>();
    long done = skip;
    try (BatchLines lines = new BatchLines(file, endpoint, batchId, rules)) {
      BatchLines.Good good;
      long seen = 0;
      Chunk chunk = new Chunk(batchId, expiresAt);
      while ((good = lines.next((line, e) -> { })) != null) {
        if (++seen <= skip) {
          continue;
        }
        chunk.add(good);
        if (chunk.size() == CHUNK) {
          done += chunk.send(refused);
          chunkDone.accept(done);
          chunk = new Chunk(batchId, expiresAt);
        }
      }
      done += chunk.send(refused);
      chunkDone.accept(done);
    }
    return new Refused(refused);
  }

  /** Up to {@link #CHUNK} lines sent together; a request SQS refuses becomes an error line of the batch. */
  private final class Chunk implements TaskBatchSender.Outcomes {
    private final TaskBatchSender sender;
    private final Map<Long, String> customIds = new HashMap<>();
    private final List<String> refusedLines = new ArrayList<>();

    Chunk(String batchId, long expiresAt) {
      this.sender = new TaskBatchSender(sqs, rules.tasksQueue(), rules.limit().bytes(), IN_FLIGHT_BATCHES, this,
          BatchTag.of(batchId, expiresAt));
    }

    void add(BatchLines.Good good) throws InterruptedException {
      customIds.put(good.task().line(), good.customId());
      sender.add(good.task());
    }

    int size() {
      return customIds.size();
    }

    /** Waits until every line is in SQS or refused; returns how many lines were settled. */
    int send(List<String> refused) throws InterruptedException {
      sender.finish();
      synchronized (refusedLines) {
        refused.addAll(refusedLines);
      }
      if (sender.stopReason() != null) {
        throw new IllegalStateException("SQS kept failing: " + sender.stopReason().getMessage(),
            sender.stopReason());
      }
      return customIds.size();
    }

    @Override
    public void sent(int count) {
      // progress is counted per chunk, once all of it has settled
    }

    @Override
    public void refused(long line, String code, String reason) {
      String customId = customIds.get(line);
      String text = ResultLine.failure(customId, "not_enqueued", "SQS refused this request (" + code + "): "
          + reason, new ResultLine.Meta(0, null, 0)).encode();
      synchronized (refusedLines) {
        refusedLines.add(text);
      }
    }
  }
}
