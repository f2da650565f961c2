package dev.llmworker.api;

import dev.llmworker.monitor.HttpJson;
import dev.llmworker.store.ObjectStore;
import dev.llmworker.store.StoredFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * OpenAI's Files API for batch input ({@code /v1/files}): upload (multipart, {@code purpose=batch}, streamed to a
 * temporary file and from there to the store, never held in memory), list, retrieve, content, delete. Field names,
 * objects and errors as OpenAI's, so the official SDKs work unchanged.
 */
public final class FilesApi {
  static final Set<String> PURPOSES = Set.of("batch");
  private final StoredDownload download;
  private final StoredFiles files;
  private final int maxUploadBytes;
  private final String uploadsDir;

  public FilesApi(Vertx vertx, ObjectStore store, int maxUploadBytes, String uploadsDir) {
    this.files = new StoredFiles(store);
    this.download = new StoredDownload(vertx, uploadsDir);
    this.maxUploadBytes = maxUploadBytes;
    this.uploadsDir = uploadsDir;
  }

  /** With no {@code api.tokens}, {@code /v1/} answers 403: the API is off. */
  public static void mountDisabled(Router router) {
    router.route("/v1/*").handler(new ApiTokens(List.of()));
  }

  /** Mounts the routes behind {@code api.tokens}. */
  public void mount(Router router, List<String> tokens) {
    router.route("/v1/*").handler(new ApiTokens(tokens));
    router.post("/v1/files")
        .handler(BodyHandler.create(uploadsDir).setBodyLimit(maxUploadBytes).setDeleteUploadedFilesOnEnd(true))
        .handler(this::upload)
        .failureHandler(this::uploadFailed);
    router.get("/v1/files").handler(this::list);
    router.get("/v1/files/:id").handler(this::retrieve);
    router.get("/v1/files/:id/content").handler(this::content);
    router.delete("/v1/files/:id").handler(this::delete);
  }

  private void upload(RoutingContext ctx) {
    String purpose = ctx.request().getFormAttribute("purpose");
    FileUpload upload = ctx.fileUploads().stream().filter(f -> "file".equals(f.name())).findFirst().orElse(null);
    if (upload == null) {
      OpenAiError.send(ctx, 400, "'file' is a required property: send the file as multipart/form-data", "file", null);
    } else if (purpose == null || !PURPOSES.contains(purpose)) {
      OpenAiError.send(ctx, 400, "'purpose' must be one of " + PURPOSES + " (got '" + purpose + "')", "purpose",
          null);
    } else if (!upload.fileName().endsWith(".jsonl")) {
      OpenAiError.send(ctx, 400, "Invalid file format for Batch API. Must be .jsonl", "file", null);
    } else {
      files.add(StoredFiles.newId(), Path.of(upload.uploadedFileName()), upload.size(), upload.fileName(), purpose)
          .onSuccess(file -> HttpJson.send(ctx, 200, file))
          .onFailure(e -> OpenAiError.send(ctx, 500, "could not store the file: " + e.getMessage(), null, null));
    }
  }

  private void uploadFailed(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      OpenAiError.send(ctx, 413, "File too large: at most " + maxUploadBytes + " bytes (api.maxUploadBytes)", "file",
          "file_too_large");
    } else {
      OpenAiError.send(ctx, ctx.statusCode() > 0 ? ctx.statusCode() : 500, "upload failed: "
          + (ctx.failure() == null ? "" : ctx.failure().getMessage()), "file", null);
    }
  }

  /** {@code ?purpose=&limit=&after=&order=}: newest first unless {@code order=asc}; {@code limit} 1 to 10,000. */
  private void list(RoutingContext ctx) {
    String purpose = ctx.request().getParam("purpose");
    String after = ctx.request().getParam("after");
    boolean ascending = "asc".equals(ctx.request().getParam("order"));
    int limit = OpenAiError.limit(ctx, 10_000, 10_000);
    if (limit < 0) {
      return;
    }
    int max = limit;
    files.all().onSuccess(all -> {
      List<JsonObject> chosen = all.stream().filter(f -> purpose == null || purpose.equals(f.getString("purpose")))
          .toList();
      if (ascending) {
        chosen = new java.util.ArrayList<>(chosen);
        java.util.Collections.reverse(chosen);
      }
      int start = 0;
      if (after != null) {
        for (int i = 0; i < chosen.size(); i++) {
          if (after.equals(chosen.get(i).getString("id"))) {
            start = i + 1;
          }
        }
      }
      List<JsonObject> page = chosen.subList(Math.min(start, chosen.size()), Math.min(start + max, chosen.size()));
      HttpJson.send(ctx, 200, Page.of(page, start + page.size() < chosen.size()));
    }).onFailure(e -> OpenAiError.send(ctx, 500, "could not list the files: " + e.getMessage(), null, null));
  }

  private void retrieve(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    files.get(id).onSuccess(file -> {
      if (file == null) {
        OpenAiError.notFound(ctx, "file", id);
      } else {
        HttpJson.send(ctx, 200, file);
      }
    }).onFailure(e -> OpenAiError.send(ctx, 500, e.getMessage(), null, null));
  }

  /** Sent from a temporary copy: bounded memory whatever the size. */
  private void content(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    files.get(id).compose(file -> file == null ? Future.succeededFuture(false)
            : download.send(ctx, id + ".jsonl", tmp -> files.content(id, tmp).map(true)))
        .onSuccess(sent -> {
          if (!sent) {
            OpenAiError.notFound(ctx, "file", id);
          }
        })
        .onFailure(e -> {
          if (!ctx.response().headWritten()) {
            OpenAiError.send(ctx, 500, "could not read the file: " + e.getMessage(), null, null);
          }
        });
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    files.get(id).compose(file -> file == null ? Future.succeededFuture(false) : files.delete(id).map(true))
        .onSuccess(deleted -> {
          if (deleted) {
            HttpJson.send(ctx, 200, new JsonObject().put("id", id).put("object", "file").put("deleted", true));
          } else {
            OpenAiError.notFound(ctx, "file", id);
          }
        })
        .onFailure(e -> OpenAiError.send(ctx, 500, e.getMessage(), null, null));
  }

  /** OpenAI's list object. */
  static final class Page {
    private Page() {}

    static JsonObject of(List<JsonObject> data, boolean hasMore) {
      return new JsonObject().put("object", "list").put("data", new JsonArray(List.copyOf(data)))
          .put("first_id", data.isEmpty() ? null : data.get(0).getString("id"))
          .put("last_id", data.isEmpty() ? null : data.get(data.size() - 1).getString("id"))
          .put("has_more", hasMore);
    }
  }
}
