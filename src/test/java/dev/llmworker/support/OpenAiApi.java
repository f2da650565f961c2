package dev.llmworker.support;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** A plain HTTP client of llm-worker's OpenAI-compatible {@code /v1} API, for tests: files and batches. */
public final class OpenAiApi {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final String base;
  private final String token;

  /** @param base the API's base URL ending in {@code /v1/} */
  public OpenAiApi(String base, String token) {
    this.base = base;
    this.token = token;
  }

  public HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  public HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A multipart/form-data upload as the OpenAI SDKs send it: {@code purpose} and {@code file}. */
  public HttpResponse<String> upload(String filename, String purpose, byte[] content) {
    String boundary = "----llmw" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n" + purpose
        + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send(request("files").header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  /** Uploads {@code lines} as a batch input file and creates a batch for {@code endpoint}; the batch object. */
  public JsonObject createBatch(String lines, String endpoint, JsonObject metadata) {
    HttpResponse<String> file = upload("input.jsonl", "batch", lines.getBytes(StandardCharsets.UTF_8));
    if (file.statusCode() != 200) {
      throw new AssertionError("upload: " + file.statusCode() + " " + file.body());
    }
    HttpResponse<String> batch = post("batches", new JsonObject().put("input_file_id",
        new JsonObject(file.body()).getString("id")).put("endpoint", endpoint).put("completion_window", "24h")
        .put("metadata", metadata));
    if (batch.statusCode() != 200) {
      throw new AssertionError("create: " + batch.statusCode() + " " + batch.body());
    }
    return new JsonObject(batch.body());
  }

  public HttpResponse<String> post(String path, JsonObject body) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  public JsonObject batch(String id) {
    return new JsonObject(send(request("batches/" + id)).body());
  }

  /** A file's content, or null when it has none (no id). */
  public String content(String fileId) {
    return fileId == null ? null : send(request("files/" + fileId + "/content")).body();
  }

  /** Polls the batch until its status is one of {@code statuses} (within {@code timeout}); the batch object. */
  public JsonObject awaitStatus(String id, Duration timeout, String... statuses) {
    JsonObject[] last = {null};
    java.util.Set<String> wanted = java.util.Set.of(statuses);
    Eventually.await(timeout, () -> wanted.contains((last[0] = batch(id)).getString("status")),
        () -> "batch " + id + " never reached " + wanted + ": " + (last[0] == null ? null : last[0].encode()));
    return last[0];
  }
}
