package dev.llmworker.batchcli;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * A multipart/form-data body of text fields and one file, as OpenAI's Files API takes an upload. The file is
 * streamed from disk between two small byte arrays, never read into memory, and the length is known up front.
 */
record MultipartFile(String contentType, BodyPublisher publisher) {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** @param fileName the name the server sees; it must end in .jsonl for the Batch API */
  static MultipartFile of(Map<String, String> fields, String fileField, Path file, String fileName) {
    String boundary = "llmw-" + HexFormat.of().formatHex(randomBytes(16));
    StringBuilder head = new StringBuilder();
    fields.forEach((name, value) -> head.append("--").append(boundary).append("\r\n")
        .append("Content-Disposition: form-data; name=\"").append(quoted(name)).append("\"\r\n\r\n")
        .append(value).append("\r\n"));
    head.append("--").append(boundary).append("\r\n")
        .append("Content-Disposition: form-data; name=\"").append(quoted(fileField)).append("\"; filename=\"")
        .append(quoted(fileName)).append("\"\r\n")
        .append("Content-Type: application/octet-stream\r\n\r\n");
    String tail = "\r\n--" + boundary + "--\r\n";
    BodyPublisher content;
    try {
      content = BodyPublishers.ofFile(file);
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException(e);
    }
    return new MultipartFile("multipart/form-data; boundary=" + boundary, BodyPublishers.concat(
        BodyPublishers.ofByteArray(head.toString().getBytes(StandardCharsets.UTF_8)), content,
        BodyPublishers.ofByteArray(tail.getBytes(StandardCharsets.US_ASCII))));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** A header parameter value: quotes, backslashes and line breaks would end it early, so they become '_'. */
  static String quoted(String value) {
    return value.replaceAll("[\"\\\\\r\n]", "_");
  }
}
