package dev.llmworker.batchcli;

import dev.llmworker.client.ClientException;
import dev.llmworker.client.Terminal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * OpenAI's Files and Batches API of a node, over java.net.http (blocking: these are command-line calls). Error answers
 * become {@link ClientException}s carrying the server's message; no answer at all becomes {@link Unreachable}.
 */
final class BatchApi {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private final ApiTarget target;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(CONNECT_TIMEOUT).build();

  BatchApi(ApiTarget target) {
    this.target = target;
  }

  ApiTarget target() {
    return target;
  }

  /** {@code POST /v1/files}, {@code purpose=batch}: the file object. No overall timeout: files may be large. */
  JsonObject upload(Path file) throws InterruptedException {
    String name = file.getFileName().toString();
    MultipartFile body = MultipartFile.of(Map.of("purpose", "batch"), "file", file,
        name.endsWith(".jsonl") ? name : name + ".jsonl");
    return json(request("files").header("Content-Type", body.contentType()).POST(body.publisher()).build());
  }

  /** {@code DELETE /v1/files/{id}}. */
  void deleteFile(String id) throws InterruptedException {
    json(timed("files/" + segment(id)).DELETE().build());
  }

  /** {@code POST /v1/batches}. */
  BatchObject create(String inputFileId, String endpoint, Map<String, String> metadata) throws InterruptedException {
    JsonObject body = new JsonObject().put("input_file_id", inputFileId).put("endpoint", endpoint)
        .put("completion_window", "24h");
    if (!metadata.isEmpty()) {
      body.put("metadata", new JsonObject(Map.copyOf(metadata)));
    }
    return new BatchObject(json(timed("batches").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build()));
  }

  /** {@code GET /v1/batches/{id}}. */
  BatchObject get(String id) throws InterruptedException {
    return new BatchObject(json(timed("batches/" + segment(id)).GET().build()));
  }

  /** {@code GET /v1/batches?limit=&after=}: OpenAI's list object. */
  JsonObject list(int limit, String after) throws InterruptedException {
    String query = "batches?limit=" + limit + (after == null ? "" : "&after=" + segment(after));
    return json(timed(query).GET().build());
  }

  /** {@code POST /v1/batches/{id}/cancel}. */
  BatchObject cancel(String id) throws InterruptedException {
    return new BatchObject(json(timed("batches/" + segment(id) + "/cancel")
        .POST(HttpRequest.BodyPublishers.noBody()).build()));
  }

  /** {@code GET /v1/files/{id}/content} into {@code file} (see {@link FileDownload}); the number of lines. */
  long download(String fileId, Path file) throws InterruptedException {
    try (FileDownload download = FileDownload.to(file)) {
      HttpResponse<String> response = send(request("files/" + segment(fileId) + "/content").GET().build(),
          download.handler());
      if (response.statusCode() != 200) {
        throw failure(response);
      }
      return download.commit();
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(target.resolve(path)).header("Authorization", "Bearer " + target.token())
        .header("Accept", "application/json");
  }

  private HttpRequest.Builder timed(String path) {
    return request(path).timeout(CALL_TIMEOUT);
  }

  private JsonObject json(HttpRequest request) throws InterruptedException {
    HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      throw failure(response);
    }
    try {
      return new JsonObject(response.body());
    } catch (DecodeException | ClassCastException e) {
      throw new ClientException("error: " + request.uri() + " answered " + response.statusCode() + " with no JSON "
          + "object: " + Terminal.safe(response.body(), 200));
    }
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws InterruptedException {
    try {
      return http.send(request, handler);
    } catch (ConnectException e) {
      throw new Unreachable("cannot connect to the Batch API at " + target.base() + " (" + reason(e) + "). Is "
          + "llm-worker running there with the API on? Start it with: LLMW_API_TOKENS=<token> llm-worker run "
          + "(or point --url at the node)");
    } catch (HttpTimeoutException e) {
      throw new Unreachable("no answer from the Batch API at " + target.base() + " within "
          + request.timeout().orElse(CONNECT_TIMEOUT).toSeconds() + " s");
    } catch (IOException e) {
      throw new Unreachable("lost the connection to the Batch API at " + target.base() + ": " + reason(e));
    }
  }

  /** An error answer: OpenAI's {@code {"error": {"message"...}}} when the body is one, else the status and body. */
  private static ClientException failure(HttpResponse<String> response) {
    String body = response.body() == null ? "" : response.body();
    String message;
    try {
      message = new JsonObject(body).getJsonObject("error").getString("message");
    } catch (RuntimeException e) {
      message = null;
    }
    if (message == null) {
      return new ClientException("error: HTTP " + response.statusCode() + " from " + response.uri() + ": "
          + Terminal.safe(body, 300));
    }
    String hint = response.statusCode() == 401 ? " (the token comes from " + ApiTarget.TOKEN_ENV + ", else the "
        + "first of the config's api.tokens)" : "";
    return new ClientException("error: " + Terminal.safe(message, 1000) + hint);
  }

  private static String reason(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }

  /** An id as one path segment: a slash or a question mark in it cannot reach another route. */
  private static String segment(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
