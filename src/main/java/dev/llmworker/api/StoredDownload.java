package dev.llmworker.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Sends an object of the store as a download: copied to a temporary file first and sent from disk, so memory stays
 * bounded whatever its size; the temporary file is deleted once sent (or not).
 */
final class StoredDownload {
  private final Vertx vertx;
  private final String tmpDir;

  StoredDownload(Vertx vertx, String tmpDir) {
    this.vertx = vertx;
    this.tmpDir = tmpDir;
  }

  /**
   * Copies with {@code copy} (false: there is no such object) and sends it under {@code filename} when there is
   * one. False, with nothing sent, when there is none; a failure before the response started leaves it unsent.
   */
  Future<Boolean> send(RoutingContext ctx, String filename, Function<Path, Future<Boolean>> copy) {
    return vertx.fileSystem().mkdirs(tmpDir)
        .compose(v -> vertx.fileSystem().createTempFile(tmpDir, "download-", ".jsonl", (String) null))
        .compose(tmp -> copy.apply(Path.of(tmp))
            .compose(found -> found ? sendFile(ctx, filename, tmp).map(true) : Future.succeededFuture(false))
            .eventually(() -> vertx.fileSystem().delete(tmp)));
  }

  private static Future<Void> sendFile(RoutingContext ctx, String filename, String file) {
    return ctx.response().putHeader("Content-Type", "application/octet-stream")
        .putHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"").sendFile(file);
  }
}
