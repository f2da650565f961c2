package dev.llmworker.batch;

import dev.llmworker.client.ClientException;
import dev.llmworker.client.ResultLineReader;
import dev.llmworker.client.ResultRouter;
import dev.llmworker.client.ResultsFile;
import dev.llmworker.task.ResultLine;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a batch's output and error files from its collected parts with {@code results}' own router and files:
 * every custom_id once, a success over any failure of the same id (a line that failed, was redriven and then
 * succeeded). For a batch cancelled or expired with lines never settled, each custom_id of the input that has no
 * line gets an error line saying so. Blocking: run on a worker thread.
 */
final class BatchMerge {
  private static final String EXPIRED_CODE = "\"code\":\"" + BatchStops.EXPIRED + "\"";

  private BatchMerge() {}

  /** Lines written to each file. */
  /** Lines written to each file; {@code expired}: error lines of requests not run because the batch expired. */
  record Counts(long completed, long failed, long expired) {}

  /**
   * @param input       the batch's input file, read only when {@code missingCode} is set
   * @param missingCode {@code batch_cancelled} or {@code batch_expired} for lines with no result, or null
   */
  static Counts run(List<Path> parts, Path input, String missingCode, Path output, Path errors) throws IOException {
    ResultRouter router = new ResultRouter();
    long[] expired = {0};
    try (ResultsFile out = ResultsFile.open(output); ResultsFile err = ResultsFile.open(errors)) {
      // successes first, so that a failure of an id that also succeeded is a duplicate
      for (boolean failures : new boolean[] {false, true}) {
        for (Path part : parts) {
          route(router, part, failures, out, err, expired);
        }
      }
      if (missingCode != null) {
        missing(router, input, missingCode, err, expired);
      }
      out.force();
      err.force();
    } catch (ClientException e) {
      throw new IOException(e.getMessage(), e);
    }
    return new Counts(router.tally().results, router.tally().errors, expired[0]);
  }

  private static void route(ResultRouter router, Path part, boolean failures, ResultsFile out, ResultsFile err,
      long[] expired) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank() || ResultLineReader.read(part + ":" + number, line).failure() != failures) {
          continue;
        }
        ResultRouter.Routed routed = router.route(part.getFileName() + ":" + number, line);
        write(routed, out, err, expired);
      }
    }
  }

  private static void missing(ResultRouter router, Path input, String code, ResultsFile err, long[] expired)
      throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        String customId = customId(line);
        if (customId != null && !router.known(customId)) {
          String text = ResultLine.failure(customId, code, BatchStops.reason(code), new ResultLine.Meta(0, null, 0))
              .encode();
          write(router.route("missing:" + customId, text), null, err, expired);
        }
      }
    }
  }

  private static String customId(String line) {
    if (line.isBlank()) {
      return null;
    }
    try {
      return new JsonObject(line).getValue("custom_id") instanceof String s ? s : null;
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static void write(ResultRouter.Routed routed, ResultsFile out, ResultsFile err, long[] expired) {
    if (routed.target() == ResultRouter.Target.DUPLICATE) {
      return;
    }
    if (routed.target() == ResultRouter.Target.ERRORS && routed.line().contains(EXPIRED_CODE)) {
      expired[0]++;
    }
    byte[] bytes = (routed.line() + "\n").getBytes(StandardCharsets.UTF_8);
    (routed.target() == ResultRouter.Target.RESULTS ? out : err).append(bytes);
  }
}
