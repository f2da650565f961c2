package dev.llmworker.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * The Files API's objects in the store: {@code files/<id>.json} holds the file object OpenAI returns,
 * {@code files/<id>.content} the bytes. Nothing about a file lives only in one node's memory.
 */
public final class StoredFiles {
  private static final String DIR = "files/";
  private final ObjectStore store;

  public StoredFiles(ObjectStore store) {
    this.store = store;
  }

  /** A new file id, sorting in creation order. */
  public static String newId() {
    return TimeIds.next("file-");
  }

  /** Stores the uploaded bytes, then the record: a file is listed only once its content is complete. */
  public Future<JsonObject> add(String id, Path upload, long bytes, String filename, String purpose) {
    JsonObject file = new JsonObject().put("id", id).put("object", "file").put("bytes", bytes)
        .put("created_at", System.currentTimeMillis() / 1000).put("filename", filename).put("purpose", purpose)
        .put("status", "processed").putNull("status_details");
    return store.putFile(DIR + id + ".content", upload, "application/jsonl")
        .compose(v -> store.putBytes(DIR + id + ".json", file.toBuffer(), "application/json"))
        .map(file);
  }

  /** The file object, or null when there is none. */
  public Future<JsonObject> get(String id) {
    if (!id.matches("file-[A-Za-z0-9]{1,64}")) {
      return Future.succeededFuture(null);
    }
    return store.getBytes(DIR + id + ".json").map(b -> b == null ? null : b.toJsonObject());
  }

  /** Every file, newest first. */
  public Future<List<JsonObject>> all() {
    return store.list(DIR)
        .map(entries -> entries.stream().map(ObjectStore.Entry::key).filter(k -> k.endsWith(".json"))
            .map(k -> k.substring(DIR.length(), k.length() - ".json".length())).toList())
        .compose(ids -> Future.all(ids.stream().map(this::get).toList()))
        .map(all -> all.<JsonObject>list().stream().filter(java.util.Objects::nonNull)
            .sorted(Comparator.comparing((JsonObject f) -> f.getString("id"), Comparator.reverseOrder()))
            .toList());
  }

  /** Copies the content to {@code target}. */
  public Future<Void> content(String id, Path target) {
    return store.download(DIR + id + ".content", target);
  }

  /** Removes the record first (the file is gone for readers at once), then the content. */
  public Future<Void> delete(String id) {
    return store.delete(DIR + id + ".json").compose(v -> store.delete(DIR + id + ".content"));
  }
}
