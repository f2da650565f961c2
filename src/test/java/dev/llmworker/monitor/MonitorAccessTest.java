package dev.llmworker.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.app.ConfigException;
import dev.llmworker.app.Node;
import dev.llmworker.app.Role;
import dev.llmworker.sim.SimulatorOptions;
import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsFixture;
import dev.llmworker.support.Stack;
import dev.llmworker.support.TestConfig;
import dev.llmworker.support.TestTasks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Who may read what on the monitor (issue 17 item 2 and 3), against a real node: with a token, everything that
 * shows task content needs it and health, readiness, metrics and the page do not; no GET changes anything; an open
 * bind needs a token or monitor.allowOpen; a loopback bind refuses foreign Host names; live streams are capped.
 */
class MonitorAccessTest {
  private static final String TOKEN = "monitor-access-token";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final Stack stack = new Stack(30, 5, SimulatorOptions.defaults().withLatencyMs(5));

  @AfterEach
  void tearDown() {
    stack.close();
  }

  private String start(JsonObject monitor) {
    return stack.startNode(json -> json.put("monitor", monitor.put("port", 0))).monitorUrl();
  }

  private static HttpResponse<String> send(String url, String method, String body, String type, String token)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    return send(url, "GET", null, null, token);
  }

  /** The status line of a GET sent with {@code host} as its Host header (java.net.http will not set that one). */
  private static String statusWithHost(String base, String path, String host) throws Exception {
    URI uri = URI.create(base);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
  }

  @Test
  @DisplayName("with monitor.token: stats, history, failures, events and the DLQ browser need it (401 without, "
      + "naming the header); the page, /health, /ready and /metrics do not; /api/access says a token is needed")
  void tokenGuardsTaskContent() throws Exception {
    String base = start(new JsonObject().put("token", TOKEN));
    stack.sqs.enqueue(1, n -> TestTasks.chat("secret-id-" + n, "[[sim:status=400]] secret prompt"));
    stack.awaitDeadLettered(1);

    for (String path : List.of("api/stats", "api/history", "api/failures?custom_id=secret", "api/events",
        "api/access/check")) {
      HttpResponse<String> refused = get(base + path, null);
      assertEquals(401, refused.statusCode(), path + ": " + refused.body());
      assertTrue(refused.body().contains("Authorization: Bearer"), refused.body());
      assertTrue(!refused.body().contains("secret"), path + " leaked content: " + refused.body());
      assertEquals(401, get(base + path, "wrong-token-of-some-length").statusCode(), path);
    }
    HttpResponse<String> peekRefused = send(base + "api/dlq/peek", "POST", "{}", "application/json", null);
    assertEquals(401, peekRefused.statusCode(), peekRefused.body());

    JsonObject stats = new JsonObject(get(base + "api/stats", TOKEN).body());
    assertTrue(stats.getJsonArray("failures").encode().contains("secret-id-0"), stats.encode());
    HttpResponse<String> peek = send(base + "api/dlq/peek", "POST", "{\"max\": 5}", "application/json", TOKEN);
    assertEquals(200, peek.statusCode(), peek.body());
    assertTrue(peek.body().contains("secret prompt"), peek.body());

    for (String path : List.of("", "app.js", "health", "ready", "metrics")) {
      assertEquals(200, get(base + path, null).statusCode(), "/" + path + " needs no token");
    }
    assertEquals(new JsonObject().put("token_required", true), new JsonObject(get(base + "api/access", null).body()));
  }

  @Test
  @DisplayName("no GET changes anything: GET /api/dlq is gone (peeking receives messages, so it is a POST) and a "
      + "peek without a JSON content type, which any web page could send, is refused with 415")
  void noStateChangingGet() throws Exception {
    String base = start(new JsonObject()); // loopback, no token: reads are open
    stack.sqs.enqueue(2, n -> TestTasks.chat("dlq-" + n, "[[sim:status=400]] hi"));
    stack.awaitDeadLettered(2);

    assertEquals(404, get(base + "api/dlq?max=10", null).statusCode());
    assertEquals(415, send(base + "api/dlq/peek", "POST", "max=10", "text/plain", null).statusCode());
    assertEquals(415, send(base + "api/dlq/peek", "POST", "max=10", "application/x-www-form-urlencoded", null)
        .statusCode());
    assertEquals(400, send(base + "api/dlq/peek", "POST", "{\"max\": \"ten\"}", "application/json", null)
        .statusCode());
    HttpResponse<String> peek = send(base + "api/dlq/peek", "POST", "{\"max\": 10}", "application/json", null);
    assertEquals(200, peek.statusCode(), peek.body());
    assertEquals(2, new JsonObject(peek.body()).getJsonArray("messages").size(), peek.body());
    assertEquals(new JsonObject().put("token_required", false), new JsonObject(get(base + "api/access", null).body()));
    assertEquals(403, send(base + "api/pause", "POST", "{}", "application/json", null).statusCode(),
        "without a token the controls stay off");
  }

  @Test
  @DisplayName("an address other than loopback without a token is refused at start naming monitor.token; with a "
      + "token, or with monitor.allowOpen, it starts")
  void openBindNeedsTokenOrAllowOpen() throws Exception {
    JsonObject json = TestConfig.base(stack.sqs.server.endpoint(), stack.sim.baseUrl())
        .put("monitor", new JsonObject().put("host", "0.0.0.0").put("port", 0));
    Throwable refused = SqsFixture.awaitFailure(Node.start(stack.vertx, TestConfig.with(json),
        EnumSet.allOf(Role.class), stack.registry));
    assertInstanceOf(ConfigException.class, refused, String.valueOf(refused));
    assertTrue(refused.getMessage().startsWith("monitor.token: expected a token"), refused.getMessage());
    assertTrue(refused.getMessage().contains("monitor.allowOpen"), refused.getMessage());

    Node open = SqsFixture.await(Node.start(stack.vertx, TestConfig.with(json.copy().put("monitor",
        json.getJsonObject("monitor").copy().put("allowOpen", true))), EnumSet.allOf(Role.class), stack.registry));
    String url = open.monitorUrl().replace("0.0.0.0", "127.0.0.1");
    assertEquals(200, get(url + "api/stats", null).statusCode(), "allowOpen serves without a token");
    SqsFixture.await(open.stop());

    String base = start(new JsonObject().put("host", "0.0.0.0").put("token", TOKEN))
        .replace("0.0.0.0", "127.0.0.1");
    assertEquals(401, get(base + "api/stats", null).statusCode());
    assertEquals("HTTP/1.1 200 OK", statusWithHost(base, "/health", "monitor.example.com"),
        "not on loopback: any Host name (the token guards the content)");
  }

  @Test
  @DisplayName("on loopback, a request for another host name (DNS rebinding) is refused with 403 on every path; "
      + "localhost, 127.0.0.1, [::1] and monitor.allowedHosts are served")
  void loopbackRefusesForeignHostNames() throws Exception {
    String base = start(new JsonObject().put("allowedHosts", new JsonArray().add("dash.internal")));
    int port = URI.create(base).getPort();
    for (String path : List.of("/", "/api/stats", "/health", "/metrics")) {
      assertEquals("HTTP/1.1 403 Forbidden", statusWithHost(base, path, "attacker.example:" + port), path);
      assertEquals("HTTP/1.1 403 Forbidden", statusWithHost(base, path, "127.0.0.1.attacker.example"), path);
    }
    for (String host : List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LOCALHOST",
        "dash.internal", "Dash.Internal:443")) {
      assertEquals("HTTP/1.1 200 OK", statusWithHost(base, "/api/stats", host), host);
    }
  }

  @Test
  @DisplayName("live streams are capped at monitor.maxEventStreams: one more gets 503 with Retry-After, and a "
      + "closed one frees its place")
  void eventStreamsAreCapped() throws Exception {
    String base = start(new JsonObject().put("maxEventStreams", 2));
    List<HttpResponse<java.io.InputStream>> open = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      HttpResponse<java.io.InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/events"))
          .build(), HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, r.statusCode());
      open.add(r);
    }
    HttpResponse<String> third = get(base + "api/events", null);
    assertEquals(503, third.statusCode(), third.body());
    assertTrue(third.body().contains("monitor.maxEventStreams"), third.body());
    assertEquals("5", third.headers().firstValue("Retry-After").orElse(""));

    open.get(0).body().close();
    Eventually.await(Duration.ofSeconds(10), () -> {
      try {
        HttpResponse<java.io.InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/events"))
            .build(), HttpResponse.BodyHandlers.ofInputStream());
        boolean served = r.statusCode() == 200;
        r.body().close();
        return served;
      } catch (Exception e) {
        return false;
      }
    }, () -> "a closed stream never freed its place");
    open.get(1).body().close();
  }
}
