package dev.llmworker.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Per-kind fault injection of the simulator, over real HTTP. */
@ExtendWith(VertxExtension.class)
class SimulatorFaultsTest {
  private static final JsonObject CHAT = new JsonObject().put("model", "sim-1")
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));

  /** Sends {@code n} requests one after another and collects their status codes (and bodies). */
  private static Future<List<HttpResponse<Buffer>>> sequence(WebClient client, LlmSimulator sim, int n) {
    List<HttpResponse<Buffer>> out = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < n; i++) {
      int id = i;
      chain = chain.compose(v -> client.postAbs(sim.baseUrl() + "/chat/completions")
          .putHeader("X-Client-Request-Id", "r" + id).sendJsonObject(CHAT).map(r -> {
            out.add(r);
            return null;
          }));
    }
    return chain.map(v -> out);
  }

  @Test
  @DisplayName("rate 429 = 1: every answer is a 429 with Retry-After")
  void always429(Vertx vertx, VertxTestContext test) {
    WebClient client = WebClient.create(vertx);
    LlmSimulator.start(vertx, SimulatorOptions.defaults().withLatencyMs(1).withRate429(1.0))
        .compose(sim -> sequence(client, sim, 5))
        .onComplete(test.succeeding(responses -> test.verify(() -> {
          for (HttpResponse<Buffer> r : responses) {
            assertEquals(429, r.statusCode());
            assertEquals("1", r.getHeader("Retry-After"));
          }
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("rate truncated = 1: a 200 whose body is not valid JSON, counted as truncated and never as served")
  void truncated(Vertx vertx, VertxTestContext test) {
    WebClient client = WebClient.create(vertx);
    LlmSimulator.start(vertx, SimulatorOptions.defaults().withLatencyMs(1).withRateTruncated(1.0))
        .compose(sim -> sequence(client, sim, 3).map(responses -> {
          test.verify(() -> {
            for (HttpResponse<Buffer> r : responses) {
              assertEquals(200, r.statusCode());
              assertThrows(RuntimeException.class, r::bodyAsJsonObject);
            }
            assertEquals(3, sim.stats().truncatedCount());
            assertEquals(0, sim.stats().okCount());
            assertEquals(3, sim.stats().toJson().getLong("truncated"));
          });
          return null;
        }))
        .onComplete(test.succeeding(v -> test.completeNow()));
  }

  @Test
  @DisplayName("a seeded mix gives roughly the configured shares, and the same seed the same sequence")
  void mixIsSeeded(Vertx vertx, VertxTestContext test) {
    WebClient client = WebClient.create(vertx);
    SimulatorOptions options = SimulatorOptions.defaults().withLatencyMs(0).withSeed(5)
        .withRate429(0.2).withRate500(0.1).withRateTruncated(0.1);
    Future<List<Integer>> first = LlmSimulator.start(vertx, options).compose(sim -> sequence(client, sim, 300))
        .map(rs -> rs.stream().map(r -> r.bodyAsString().startsWith("{\"id\":\"chatcmpl-cut") ? -1 : r.statusCode())
            .toList());
    first.compose(a -> LlmSimulator.start(vertx, options).compose(sim -> sequence(client, sim, 300))
            .map(rs -> rs.stream().map(r -> r.bodyAsString().startsWith("{\"id\":\"chatcmpl-cut") ? -1
                : r.statusCode()).toList())
            .map(b -> List.of(a, b)))
        .onComplete(test.succeeding(runs -> test.verify(() -> {
          List<Integer> a = runs.get(0);
          assertEquals(a, runs.get(1), "same seed, same sequence");
          long n429 = a.stream().filter(s -> s == 429).count();
          long n500 = a.stream().filter(s -> s == 500).count();
          long cut = a.stream().filter(s -> s == -1).count();
          assertTrue(n429 > 30 && n429 < 90, "429s: " + n429);
          assertTrue(n500 > 10 && n500 < 50, "500s: " + n500);
          assertTrue(cut > 10 && cut < 50, "truncated: " + cut);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("fault rates that add up to more than 1 are rejected, naming the options")
  void rejectsTooMuch() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SimulatorOptions.defaults().withRate429(0.6).withRate500(0.6));
    assertTrue(e.getMessage().contains("--rate-429"));
  }
}
