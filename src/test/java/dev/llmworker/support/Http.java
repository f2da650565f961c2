package dev.llmworker.support;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP GETs from a test thread (the dashboard's JSON of a node started as a process). */
public final class Http {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private Http() {}

  public static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The JSON body of a 200 answer, or null when there is none yet (not listening, another status, not JSON). */
  public static JsonObject jsonOrNull(String url) {
    return jsonOrNull(url, null);
  }

  /** {@link #jsonOrNull(String)} with {@code Authorization: Bearer token} (the monitor's API with a token). */
  public static JsonObject jsonOrNull(String url, String token) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? new JsonObject(response.body()) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
