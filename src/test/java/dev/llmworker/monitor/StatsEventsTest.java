package dev.llmworker.monitor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.support.Eventually;
import dev.llmworker.support.SqsFixture;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The live stream's memory bound: a reader that stops reading is disconnected, not buffered for without end. */
class StatsEventsTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() {
    SqsFixture.await(vertx.close());
  }

  @Test
  @DisplayName("a client that never reads is dropped once its unsent snapshots pass the bound; a reading one stays")
  void slowReaderIsDropped() throws Exception {
    String big = "x".repeat(64 * 1024); // a 64 KiB snapshot every 10 ms: a stuck reader fills any buffer quickly
    StatsEvents events = new StatsEvents(vertx, () -> new JsonObject().put("pad", big), 5, 10);
    Router router = Router.router(vertx);
    router.get("/api/events").handler(events);
    HttpServer server = SqsFixture.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));

    try (Socket stuck = open(server.actualPort()); Socket reading = open(server.actualPort())) {
      long[] readBytes = {0};
      Thread reader = new Thread(() -> drain(reading, readBytes));
      reader.start();
      Eventually.await(Duration.ofSeconds(30), () -> events.dropped() == 1,
          () -> "the stuck reader was never dropped (open " + events.open() + ")");
      Eventually.await(Duration.ofSeconds(10), () -> events.open() == 1,
          () -> "open streams: " + events.open() + ", expected the reading client's alone");
      long before = readBytes[0];
      Eventually.await(Duration.ofSeconds(10), () -> readBytes[0] > before + big.length(),
          () -> "the reading client stopped receiving");
      // the stuck one: what was queued for it can still be read, then the stream ends
      InputStream in = stuck.getInputStream();
      stuck.setSoTimeout(20_000);
      byte[] buf = new byte[65536];
      long total = 0;
      for (int n; (n = in.read(buf)) >= 0; ) {
        total += n;
      }
      assertTrue(total > 0, "the stuck reader got nothing at all");
    }
  }

  private static Socket open(int port) throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    OutputStream out = socket.getOutputStream();
    out.write("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  private static void drain(Socket socket, long[] count) {
    byte[] buf = new byte[65536];
    try (InputStream in = socket.getInputStream()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        count[0] += n;
      }
    } catch (Exception e) {
      // closed at the end of the test
    }
  }
}
