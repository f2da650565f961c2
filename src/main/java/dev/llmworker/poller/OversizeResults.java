package dev.llmworker.poller;

import dev.llmworker.task.ResultTrimmer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results too large for one SQS message ({@code sqs.maxMessageBytes}): the whole line is appended to this node's
 * {@code results.oversizeFile} (synced to disk) and a trimmed line, marked {@code llmw.truncated}, goes to the
 * results queue. If the file cannot be written the task is not settled, so nothing is lost.
 */
final class OversizeResults {
  private static final Logger LOG = LoggerFactory.getLogger(OversizeResults.class);

  private final Vertx vertx;
  private final Path file;
  /** Where the file is, as results lines and reasons name it: {@code host:path}, the path as configured. */
  private final String location;
  private final int limit;

  /**
   * @param configuredFile {@code results.oversizeFile} as configured (relative paths are relative to the node's
   *                       working directory)
   * @param host           this machine's name: the file is on its local disk, and one results queue serves many
   */
  OversizeResults(Vertx vertx, String configuredFile, String host, int limit) {
    this.vertx = vertx;
    this.file = Path.of(configuredFile).toAbsolutePath();
    this.location = host + ":" + configuredFile;
    this.limit = limit;
  }

  /** The line itself when it fits, else its trimmed form once the whole line is on disk. */
  Future<String> fit(String customId, String line) {
    if (ResultTrimmer.fits(line, limit)) {
      return Future.succeededFuture(line);
    }
    // writing and trimming (re-encodes proportional to the line's size) happen off the poller's event loop
    return vertx.executeBlocking(() -> {
      append(line);
      return ResultTrimmer.trim(line, limit, location);
    })
        .onSuccess(v -> LOG.warn("task {}: result of {} bytes is over sqs.maxMessageBytes ({}); sent truncated, "
            + "the whole line is in {}", customId, ResultTrimmer.bytes(line), limit, file))
        .onFailure(e -> LOG.error("task {}: result of {} bytes is over sqs.maxMessageBytes ({}) and could not be "
            + "kept in {} (results.oversizeFile): {}", customId, ResultTrimmer.bytes(line), limit, file, e.toString()));
  }

  /**
   * Appends the whole line to the file (synced): an answer SQS would not store is kept here rather than paid for
   * again. Completes with where it is ({@code host:path}).
   */
  Future<String> keep(String line) {
    return vertx.executeBlocking(() -> append(line)).map(v -> location);
  }

  private Void append(String line) throws java.io.IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
    return null;
  }
}
