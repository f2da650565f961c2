package dev.llmworker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.store.EmbeddedS3;
import dev.llmworker.store.ObjectStore;
import dev.llmworker.support.OpenAiApi;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.Stack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, the Files API on a real node: multipart uploads go to the store (the embedded S3Proxy, or an
 * S3-protocol server of the test's own), and list, retrieve, content and delete answer as OpenAI's API does.
 */
class FilesApiTest {
  private static final String TOKEN = "files-api-test-token-1";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir
  Path dir;
  private final Stack stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));
  private EmbeddedS3 external;
  private String base;

  @AfterEach
  void tearDown() throws Exception {
    stack.close();
    if (external != null) {
      external.close();
    }
  }

  private void start(JsonObject store) {
    base = stack.startNode(json -> json.put("api", new JsonObject().put("tokens", new JsonArray().add(TOKEN))
        .put("maxUploadBytes", 3_000_000)).put("store", store)).monitorUrl() + "v1/";
  }

  private static HttpRequest.Builder request(String url, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A multipart/form-data upload as the OpenAI SDKs send it: {@code purpose} and {@code file}. */
  private HttpResponse<String> upload(String filename, String purpose, byte[] content, String token) {
    return new OpenAiApi(base, token).upload(filename, purpose, content);
  }

  private static byte[] jsonl(int lines) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      out.append(new JsonObject().put("custom_id", "r-" + i).put("method", "POST").put("url", "/v1/chat/completions")
          .put("body", new JsonObject().put("model", "gpt-4o-mini").put("messages", new JsonArray()
              .add(new JsonObject().put("role", "user").put("content", "Hello " + i + " ünïcödé")))).encode())
          .append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("upload (2 MB), retrieve, list newest first with limit/after paging, content byte for byte, delete; "
      + "OpenAI's objects and errors; the bytes live in the embedded store's directory")
  void lifecycle() throws Exception {
    start(new JsonObject().put("embedded", new JsonObject().put("dir", dir.resolve("store").toString())));
    byte[] big = jsonl(14_000);
    assertTrue(big.length > 2_000_000, "size " + big.length);
    JsonObject first = new JsonObject(upload("batch-a.jsonl", "batch", big, TOKEN).body());
    assertEquals("file", first.getString("object"), first.encode());
    assertTrue(first.getString("id").startsWith("file-"), first.encode());
    assertEquals(big.length, first.getLong("bytes"));
    assertEquals("batch-a.jsonl", first.getString("filename"));
    assertEquals("batch", first.getString("purpose"));
    assertEquals("processed", first.getString("status"));
    JsonObject second = new JsonObject(upload("batch-b.jsonl", "batch", jsonl(3), TOKEN).body());

    assertEquals(first, new JsonObject(send(request(base + "files/" + first.getString("id"), TOKEN)).body()));
    JsonObject list = new JsonObject(send(request(base + "files", TOKEN)).body());
    assertEquals("list", list.getString("object"));
    assertEquals(2, list.getJsonArray("data").size(), list.encode());
    JsonObject page1 = new JsonObject(send(request(base + "files?limit=1&order=asc", TOKEN)).body());
    assertEquals(first.getString("id"), page1.getJsonArray("data").getJsonObject(0).getString("id"));
    assertTrue(page1.getBoolean("has_more"));
    JsonObject page2 = new JsonObject(send(request(base + "files?limit=1&order=asc&after=" + first.getString("id"),
        TOKEN)).body());
    assertEquals(second.getString("id"), page2.getJsonArray("data").getJsonObject(0).getString("id"));
    assertFalse(page2.getBoolean("has_more"));

    HttpResponse<byte[]> content = HTTP.send(request(base + "files/" + first.getString("id") + "/content", TOKEN)
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, content.statusCode());
    assertTrue(java.util.Arrays.equals(big, content.body()), "content differs");
    assertTrue(java.nio.file.Files.walk(dir.resolve("store")).anyMatch(p -> p.toString().endsWith(".content")));

    JsonObject deleted = new JsonObject(send(request(base + "files/" + first.getString("id"), TOKEN).DELETE()).body());
    assertEquals(new JsonObject().put("id", first.getString("id")).put("object", "file").put("deleted", true),
        deleted);
    HttpResponse<String> gone = send(request(base + "files/" + first.getString("id"), TOKEN));
    assertEquals(404, gone.statusCode());
    assertTrue(new JsonObject(gone.body()).getJsonObject("error").getString("message").contains("No such file"));
    assertEquals(404, send(request(base + "files/" + first.getString("id") + "/content", TOKEN)).statusCode());
    assertEquals(1, new JsonObject(send(request(base + "files", TOKEN)).body()).getJsonArray("data").size());
  }

  @Test
  @DisplayName("refusals in OpenAI's error shape: no or a wrong token 401, purpose other than batch, not .jsonl, "
      + "no file 400, over api.maxUploadBytes 413")
  void refusals() throws Exception {
    start(new JsonObject().put("embedded", new JsonObject().put("dir", dir.resolve("store").toString())));
    for (String token : new String[] {null, "wrong-token-of-some-length"}) {
      HttpResponse<String> r = send(request(base + "files", token));
      assertEquals(401, r.statusCode(), r.body());
      assertEquals("invalid_request_error", new JsonObject(r.body()).getJsonObject("error").getString("type"));
    }
    assertEquals(400, upload("a.jsonl", "fine-tune", jsonl(1), TOKEN).statusCode());
    HttpResponse<String> csv = upload("a.csv", "batch", jsonl(1), TOKEN);
    assertEquals(400, csv.statusCode());
    assertTrue(csv.body().contains("Must be .jsonl"), csv.body());
    HttpResponse<String> tooBig = upload("big.jsonl", "batch", jsonl(20_000), TOKEN);
    assertEquals(413, tooBig.statusCode(), tooBig.body());
    assertTrue(tooBig.body().contains("api.maxUploadBytes"), tooBig.body());
    assertEquals(0, new JsonObject(send(request(base + "files", TOKEN)).body()).getJsonArray("data").size(),
        "a refused upload left a file");
  }

  @Test
  @DisplayName("with a bucket on an S3-protocol server of its own (store.endpoint), files go there through the SDK")
  void externalStore() throws Exception {
    external = EmbeddedS3.start("127.0.0.1", 0, dir.resolve("external"));
    try (ObjectStore admin = ObjectStore.open(external.endpoint(), "us-east-1", "team-bucket", "",
        stack.vertx.getOrCreateContext())) {
      SqsFixture.await(admin.ensureBucket(true));
      start(new JsonObject().put("endpoint", external.endpoint()).put("bucket", "team-bucket").put("prefix", "llmw"));
      JsonObject file = new JsonObject(upload("x.jsonl", "batch", jsonl(5), TOKEN).body());
      List<ObjectStore.Entry> objects = SqsFixture.await(admin.list("llmw/files/"));
      assertEquals(2, objects.size(), objects.toString());
      assertTrue(objects.stream().anyMatch(o -> o.key().equals("llmw/files/" + file.getString("id") + ".content")));
    }
  }

  @Test
  @DisplayName("without api.tokens the API is off: 403 for every /v1 request")
  void offWithoutTokens() throws Exception {
    base = stack.startNode(json -> json).monitorUrl() + "v1/";
    HttpResponse<String> r = send(request(base + "files", "anything-at-all-16"));
    assertEquals(403, r.statusCode());
    assertTrue(r.body().contains("api.tokens"), r.body());
  }
}
