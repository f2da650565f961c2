package dev.llmworker.support;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** The Batch API over plain HTTP, as an OpenAI SDK calls it: upload a JSONL file, create a batch, retrieve it. */
public final class BatchApiClient {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final String v1;
  private final String token;

  /** {@code monitorUrl} ends with a slash; {@code token} is one of {@code api.tokens}. */
  public BatchApiClient(String monitorUrl, String token) {
    this.v1 = monitorUrl + "v1/";
    this.token = token;
  }

  /** Uploads {@code jsonl} (purpose batch) and creates a chat-completions batch over it; answers the batch object. */
  public JsonObject create(byte[] jsonl, JsonObject metadata) {
    String fileId = upload("input.jsonl", jsonl).getString("id");
    return json(request("batches").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("input_file_id", fileId)
            .put("endpoint", "/v1/chat/completions").put("completion_window", "24h").put("metadata", metadata)
            .encode())), 200);
  }

  public JsonObject retrieve(String batchId) {
    return json(request("batches/" + batchId).GET(), 200);
  }

  /** A multipart/form-data upload as the OpenAI SDKs send it: {@code purpose} and {@code file}. */
  public JsonObject upload(String filename, byte[] content) {
    String boundary = "----llmw" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--"
        + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return json(request("files").header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), 200);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(v1 + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token);
  }

  private static JsonObject json(HttpRequest.Builder request, int expected) {
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new AssertionError(response.request().method() + " " + response.uri() + ": " + response.statusCode()
            + " " + response.body());
      }
      return new JsonObject(response.body());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
