package dev.llmworker.batchcli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultipartFileTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("the fields, then the file between its part headers and the closing boundary; the length is known "
      + "before sending (Content-Length, no chunking)")
  void body() throws Exception {
    Path file = dir.resolve("in.jsonl");
    Files.writeString(file, "{\"custom_id\":\"a\"}\n{\"custom_id\":\"ü\"}\n");
    MultipartFile m = MultipartFile.of(Map.of("purpose", "batch"), "file", file, "my \"in\".jsonl");
    String boundary = m.contentType().substring("multipart/form-data; boundary=".length());
    assertTrue(boundary.matches("llmw-[0-9a-f]{32}"), boundary);
    String expected = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"my _in_.jsonl\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n" + Files.readString(file) + "\r\n--" + boundary + "--\r\n";
    byte[] body = collect(m.publisher());
    assertEquals(expected, new String(body, StandardCharsets.UTF_8));
    assertEquals(body.length, m.publisher().contentLength());
  }

  /** What an HTTP client would send: the publisher's buffers in order. */
  private static byte[] collect(HttpRequest.BodyPublisher publisher) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    publisher.subscribe(new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer item) {
        byte[] b = new byte[item.remaining()];
        item.get(b);
        bytes.writeBytes(b);
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        done.complete(bytes.toByteArray());
      }
    });
    return done.get(10, TimeUnit.SECONDS);
  }
}
