package dev.llmworker.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.ThrowingConsumer;

/** The simulator over real HTTP on a free port, as the worker, the demo and the bench use it. */
@ExtendWith(VertxExtension.class)
@Timeout(20_000)
class SimulatorTest {
  private static final SimulatorOptions FAST = SimulatorOptions.defaults().withLatencyMs(5);

  private LlmSimulator sim;
  private WebClient client;

  private Future<LlmSimulator> start(Vertx vertx, SimulatorOptions options) {
    client = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(20));
    return LlmSimulator.start(vertx, options).onSuccess(started -> sim = started);
  }

  private static JsonObject body(String content) {
    return new JsonObject().put("model", "gpt-test")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", content)));
  }

  private HttpRequest<Buffer> post(String path, String id) {
    HttpRequest<Buffer> request = client.postAbs(sim.baseUrl() + path);
    return id == null ? request : request.putHeader("X-Client-Request-Id", id);
  }

  private Future<HttpResponse<Buffer>> chat(String id, String content) {
    return post("/chat/completions", id).sendJsonObject(body(content));
  }

  /** Calls one after another, so the simulator sees them in a known order; yields their statuses. */
  private static Future<List<Integer>> statuses(int calls, Supplier<Future<HttpResponse<Buffer>>> call) {
    Future<List<Integer>> chain = Future.succeededFuture(new ArrayList<>());
    for (int i = 0; i < calls; i++) {
      chain = chain.compose(list -> call.get().map(response -> {
        list.add(response.statusCode());
        return list;
      }));
    }
    return chain;
  }

  private static Future<JsonObject> stats(WebClient client, LlmSimulator sim) {
    return client.getAbs("http://" + sim.host() + ":" + sim.port() + "/stats").send()
        .map(HttpResponse::bodyAsJsonObject);
  }

  private static <T> void verify(VertxTestContext ctx, Future<T> future, ThrowingConsumer<T> checks) {
    future.onComplete(ctx.succeeding(value -> ctx.verify(() -> {
      checks.accept(value);
      ctx.completeNow();
    })));
  }

  /** Completes once {@code condition} holds, checking every 20 ms; fails after {@code deadlineMs}. */
  private static Future<Void> eventually(Vertx vertx, long deadlineMs, BooleanSupplier condition) {
    Promise<Void> promise = Promise.promise();
    long giveUpAt = System.currentTimeMillis() + deadlineMs;
    vertx.setPeriodic(20, timer -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(timer);
        promise.tryComplete();
      } else if (System.currentTimeMillis() > giveUpAt) {
        vertx.cancelTimer(timer);
        promise.tryFail("condition not met within " + deadlineMs + " ms");
      }
    });
    return promise.future();
  }

  private static JsonObject error(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error");
  }

  @Test
  @DisplayName("a completion echoes the model, answers from the prompt and counts usage as chars/4 and max_tokens")
  void completionShape(Vertx vertx, VertxTestContext ctx) {
    JsonObject request = new JsonObject().put("model", "gpt-test").put("max_tokens", 5)
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", "You are terse."))
            .add(new JsonObject().put("role", "user").put("content", "Say hello to the simulator please")));
    long before = System.currentTimeMillis() / 1000;
    verify(ctx, start(vertx, FAST).compose(s -> post("/chat/completions", "shape-1").sendJsonObject(request)),
        response -> {
          assertEquals(200, response.statusCode());
          assertEquals("application/json", response.getHeader("content-type"));
          assertTrue(response.getHeader("x-request-id").matches("req_\\d+"), response.getHeader("x-request-id"));
          JsonObject body = response.bodyAsJsonObject();
          assertTrue(body.getString("id").matches("chatcmpl-\\d+"), body.getString("id"));
          assertEquals("chat.completion", body.getString("object"));
          assertTrue(body.getLong("created") >= before);
          assertEquals("gpt-test", body.getString("model"));
          JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
          assertEquals(0, choice.getInteger("index"));
          assertEquals("stop", choice.getString("finish_reason"));
          assertEquals("assistant", choice.getJsonObject("message").getString("role"));
          assertEquals("Simulated answer to: Say hello to the simulator please",
              choice.getJsonObject("message").getString("content"));
          // 14 + 33 characters -> ceil(47 / 4) = 12 prompt tokens; max_tokens 5 caps the completion
          assertEquals(new JsonObject().put("prompt_tokens", 12).put("completion_tokens", 5).put("total_tokens", 17),
              body.getJsonObject("usage"));
          assertEquals(1, sim.stats().okCount());
          assertEquals(12, sim.stats().promptTokens());
          assertEquals(5, sim.stats().completionTokens());
        });
  }

  @Test
  @DisplayName("a body that is not JSON, or has no messages array, gets a 400 invalid_request_error")
  void badRequests(Vertx vertx, VertxTestContext ctx) {
    Future<List<HttpResponse<Buffer>>> answers = start(vertx, FAST)
        .compose(s -> post("/chat/completions", "bad-1").sendBuffer(Buffer.buffer("this is not json")))
        .compose(notJson -> post("/chat/completions", "bad-2")
            .sendJsonObject(new JsonObject().put("model", "gpt-test").put("prompt", "hi"))
            .map(noMessages -> List.of(notJson, noMessages)));
    verify(ctx, answers, responses -> {
      for (HttpResponse<Buffer> response : responses) {
        assertEquals(400, response.statusCode());
        JsonObject error = error(response);
        assertEquals("invalid_request_error", error.getString("type"));
        assertTrue(error.containsKey("param") && error.getValue("param") == null);
        assertTrue(error.containsKey("code"));
        assertTrue(!error.getString("message").isBlank());
      }
      assertTrue(error(responses.get(1)).getString("message").contains("messages"));
      assertEquals(2, sim.stats().statusCount(400));
      assertEquals(0, sim.stats().okCount());
    });
  }

  @Test
  @DisplayName("at rpm=2 the third request in a minute gets a 429 with Retry-After and the rate-limit headers")
  void requestsPerMinute(Vertx vertx, VertxTestContext ctx) {
    List<HttpResponse<Buffer>> responses = new ArrayList<>();
    Future<Void> calls = start(vertx, FAST.withRpm(2))
        .compose(s -> chat("rpm-1", "one")).map(responses::add)
        .compose(v -> chat("rpm-2", "two")).map(responses::add)
        .compose(v -> chat("rpm-3", "three")).map(responses::add)
        .mapEmpty();
    verify(ctx, calls, v -> {
      assertEquals(List.of(200, 200, 429), responses.stream().map(HttpResponse::statusCode).toList());
      assertEquals("1", responses.get(0).getHeader("x-ratelimit-remaining-requests"));
      assertEquals("0", responses.get(1).getHeader("x-ratelimit-remaining-requests"));
      HttpResponse<Buffer> limited = responses.get(2);
      assertEquals("2", limited.getHeader("x-ratelimit-limit-requests"));
      assertEquals("0", limited.getHeader("x-ratelimit-remaining-requests"));
      assertTrue(limited.getHeader("x-ratelimit-reset-requests").matches("\\d+(\\.\\d+)?(ms|s)"),
          limited.getHeader("x-ratelimit-reset-requests"));
      long retryAfter = Long.parseLong(limited.getHeader("Retry-After"));
      assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
      long retryAfterMs = Long.parseLong(limited.getHeader("retry-after-ms"));
      assertTrue(retryAfterMs > 59_000 && retryAfterMs <= 60_000, "retry-after-ms " + retryAfterMs);
      assertEquals("requests", error(limited).getString("type"));
      assertEquals("rate_limit_exceeded", error(limited).getString("code"));
      assertEquals(1, sim.stats().statusCount(429));
      assertEquals(3, sim.stats().requests());
    });
  }

  @Test
  @DisplayName("a 5 s window at rpm=24 refuses the third request in 5 s, and Retry-After and the reset header point "
      + "within those 5 s while the limit header still states 24 a minute")
  void shortWindowOverHttp(Vertx vertx, VertxTestContext ctx) {
    List<HttpResponse<Buffer>> responses = new ArrayList<>();
    Future<Void> calls = start(vertx, FAST.withRpm(24).withWindowSeconds(5))
        .compose(s -> chat("w-1", "one")).map(responses::add)
        .compose(v -> chat("w-2", "two")).map(responses::add)
        .compose(v -> chat("w-3", "three")).map(responses::add)
        .mapEmpty();
    verify(ctx, calls, v -> {
      assertEquals(List.of(200, 200, 429), responses.stream().map(HttpResponse::statusCode).toList());
      HttpResponse<Buffer> limited = responses.get(2);
      assertEquals("24", limited.getHeader("x-ratelimit-limit-requests"));
      assertEquals("0", limited.getHeader("x-ratelimit-remaining-requests"));
      long retryAfterMs = Long.parseLong(limited.getHeader("retry-after-ms"));
      assertTrue(retryAfterMs > 4_000 && retryAfterMs <= 5_000, "retry-after-ms " + retryAfterMs);
      assertTrue(Long.parseLong(limited.getHeader("Retry-After")) <= 5, limited.getHeader("Retry-After"));
      assertTrue(limited.getHeader("x-ratelimit-reset-requests").matches("\\d+ms|[0-4](\\.\\d+)?s|5s"),
          limited.getHeader("x-ratelimit-reset-requests"));
    });
  }

  @Test
  @DisplayName("at tpm=100 a request's prompt plus max_tokens counts, and a 429 for tokens costs no budget")
  void tokensPerMinute(Vertx vertx, VertxTestContext ctx) {
    // "hi" is 1 prompt token: each request holds 1 + 60 = 61 tokens of the 100
    JsonObject request = body("hi").put("max_tokens", 60);
    JsonObject small = body("hi").put("max_tokens", 30);
    List<HttpResponse<Buffer>> responses = new ArrayList<>();
    Future<Void> calls = start(vertx, FAST.withTpm(100))
        .compose(s -> post("/chat/completions", "tpm-1").sendJsonObject(request)).map(responses::add)
        .compose(v -> post("/chat/completions", "tpm-2").sendJsonObject(request)).map(responses::add)
        .compose(v -> post("/chat/completions", "tpm-3").sendJsonObject(small)).map(responses::add)
        .mapEmpty();
    verify(ctx, calls, v -> {
      assertEquals(List.of(200, 429, 200), responses.stream().map(HttpResponse::statusCode).toList());
      assertEquals("39", responses.get(0).getHeader("x-ratelimit-remaining-tokens"));
      assertEquals("tokens", error(responses.get(1)).getString("type"));
      assertEquals("8", responses.get(2).getHeader("x-ratelimit-remaining-tokens"));
      assertEquals("100", responses.get(2).getHeader("x-ratelimit-limit-tokens"));
    });
  }

  @Test
  @DisplayName("a [[sim:status=400]] directive answers 400 with an OpenAI error body")
  void statusDirective(Vertx vertx, VertxTestContext ctx) {
    verify(ctx, start(vertx, FAST).compose(s -> chat("dir-1", "please fail [[sim:status=400]]")), response -> {
      assertEquals(400, response.statusCode());
      assertEquals("invalid_request_error", error(response).getString("type"));
      assertEquals(0, sim.stats().okCount());
      assertEquals(1, sim.stats().statusCount(400));
    });
  }

  @Test
  @DisplayName("a [[sim:status=429]] directive sets Retry-After from retry_after")
  void rateLimitDirective(Vertx vertx, VertxTestContext ctx) {
    verify(ctx, start(vertx, FAST).compose(s -> chat("dir-2", "[[sim:status=429,retry_after=7]]")), response -> {
      assertEquals(429, response.statusCode());
      assertEquals("7", response.getHeader("Retry-After"));
      assertEquals("7000", response.getHeader("retry-after-ms"));
      assertEquals("rate_limit_exceeded", error(response).getString("code"));
    });
  }

  @Test
  @DisplayName("fail_first=2 fails the first two calls with one client request id with 503, then succeeds")
  void failFirst(Vertx vertx, VertxTestContext ctx) {
    Future<List<Integer>> calls = start(vertx, FAST)
        .compose(s -> statuses(3, () -> chat("flaky-1", "try again [[sim:fail_first=2]]")));
    verify(ctx, calls, list -> {
      assertEquals(List.of(503, 503, 200), list);
      assertEquals(3, sim.stats().countFor("flaky-1"));
      assertEquals(1, sim.stats().okCountFor("flaky-1"));
      assertEquals(0, sim.stats().duplicateIds());
    });
  }

  @Test
  @DisplayName("an id that gets two 200s is counted as a duplicate, in-process and on GET /stats")
  void duplicates(Vertx vertx, VertxTestContext ctx) {
    Future<JsonObject> json = start(vertx, FAST)
        .compose(s -> chat("dup-1", "once"))
        .compose(r -> chat("dup-1", "twice"))
        .compose(r -> chat("solo-1", "alone"))
        .compose(r -> stats(client, sim));
    verify(ctx, json, stats -> {
      assertEquals(2, sim.stats().distinctIds());
      assertEquals(1, sim.stats().duplicateIds());
      assertEquals(List.of("dup-1"), sim.stats().duplicateIdSample());
      assertEquals(3, stats.getLong("requests"));
      assertEquals(3, stats.getLong("ok"));
      assertEquals(2, stats.getInteger("distinct_ids"));
      assertEquals(1, stats.getInteger("duplicate_ids"));
      assertEquals(new JsonArray().add("dup-1"), stats.getJsonArray("duplicate_id_sample"));
      assertEquals(3, stats.getJsonObject("status_counts").getLong("200"));
      assertEquals(0, stats.getInteger("in_flight"));
    });
  }

  @Test
  @DisplayName("five requests sent at once with 300 ms latency are all in flight together")
  void concurrency(Vertx vertx, VertxTestContext ctx) {
    Future<?> all = start(vertx, SimulatorOptions.defaults().withLatencyMs(300))
        .compose(s -> {
          List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            calls.add(chat("par-" + i, "in parallel " + i));
          }
          return Future.all(calls);
        });
    verify(ctx, all, v -> {
      assertEquals(5, sim.stats().maxConcurrent());
      assertEquals(5, sim.stats().okCount());
      // not inFlight() == 0 here: the server counts a request finished after its response is written, which can
      // be just after the client has read it
    });
  }

  @Test
  @DisplayName("with errorRate=1 every request fails with 500, 503 or (after hangMs) 504")
  void errorRateOne(Vertx vertx, VertxTestContext ctx) {
    SimulatorOptions options = FAST.withLatencyMs(0).withErrorRate(1.0).withHangMs(30);
    verify(ctx, start(vertx, options).compose(s -> statuses(30, () -> chat(null, "doomed"))), list -> {
      assertTrue(Set.of(500, 503, 504).containsAll(list), list.toString());
      assertTrue(list.containsAll(Set.of(500, 503, 504)), "30 draws should hit every kind: " + list);
      assertEquals(0, sim.stats().okCount());
      assertEquals(30, sim.stats().statusCount(500) + sim.stats().statusCount(503) + sim.stats().statusCount(504));
    });
  }

  @Test
  @DisplayName("two simulators with the same seed fail the same requests; another seed fails others")
  void sameSeed(Vertx vertx, VertxTestContext ctx) {
    SimulatorOptions options = FAST.withLatencyMs(0).withErrorRate(0.5).withHangMs(1).withSeed(7);
    Future<List<List<Integer>>> runs = run(vertx, options)
        .compose(first -> run(vertx, options).compose(second -> run(vertx, options.withSeed(8))
            .map(third -> List.of(first, second, third))));
    verify(ctx, runs, list -> {
      assertTrue(list.get(0).contains(200) && list.get(0).stream().anyMatch(status -> status != 200),
          "a mix of successes and failures: " + list.get(0));
      assertEquals(list.get(0), list.get(1));
      assertNotEquals(list.get(0), list.get(2));
    });
  }

  private Future<List<Integer>> run(Vertx vertx, SimulatorOptions options) {
    return start(vertx, options).compose(s -> statuses(24, () -> chat(null, "same question")))
        .compose(list -> sim.close().map(list));
  }

  @Test
  @DisplayName("the same seed draws the same latencies and failures, request after request")
  void diceAreSeeded() {
    SimulatorOptions options = FAST.withLatencyMs(100).withJitterMs(50).withErrorRate(0.3).withSeed(11);
    Dice first = new Dice(options);
    Dice second = new Dice(options);
    Dice other = new Dice(options.withSeed(12));
    List<Dice.Roll> a = new ArrayList<>();
    List<Dice.Roll> b = new ArrayList<>();
    List<Dice.Roll> c = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      a.add(first.roll());
      b.add(second.roll());
      c.add(other.roll());
    }
    assertEquals(a, b);
    assertNotEquals(a, c);
    assertTrue(a.stream().allMatch(roll -> roll.latencyMs() >= 50 && roll.latencyMs() <= 150));
    long failures = a.stream().filter(roll -> roll.failure() != 0).count();
    assertTrue(failures > 30 && failures < 100, "about 30% of 200 should fail, got " + failures);
  }

  @Test
  @DisplayName("a client that gives up on a hanging request is dropped without an answer and leaves in_flight at 0")
  void abandonedHang(Vertx vertx, VertxTestContext ctx) {
    SimulatorOptions options = FAST.withErrorRate(1.0).withHangMs(10_000).withSeed(1);
    Future<Void> calls = start(vertx, options).mapEmpty();
    for (int i = 0; i < 6; i++) {
      calls = calls.compose(v -> post("/chat/completions", null).timeout(300).sendJsonObject(body("hang?"))
          .<Void>mapEmpty().recover(timedOut -> Future.succeededFuture()));
    }
    Future<Void> run = calls.compose(v -> eventually(vertx, 5_000, () -> sim.stats().inFlight() == 0));
    verify(ctx, run, v -> {
      assertEquals(6, sim.stats().requests());
      assertEquals(0, sim.stats().statusCount(504), "the 504 of an abandoned request is never sent");
      assertTrue(sim.stats().statusCount(500) + sim.stats().statusCount(503) < 6, "some requests should hang");
    });
  }

  @Test
  @DisplayName("POST /stats/reset answers 204 and zeroes every counter")
  void reset(Vertx vertx, VertxTestContext ctx) {
    Future<JsonObject> json = start(vertx, FAST)
        .compose(s -> chat("r-1", "a"))
        .compose(r -> chat("r-1", "b"))
        .compose(r -> chat("r-2", "[[sim:status=500]]"))
        .compose(r -> client.postAbs("http://" + sim.host() + ":" + sim.port() + "/stats/reset").send())
        .compose(reset -> stats(client, sim).map(stats -> stats.put("reset_status", reset.statusCode())));
    verify(ctx, json, stats -> {
      assertEquals(204, stats.remove("reset_status"));
      assertEquals(new JsonObject()
          .put("requests", 0).put("ok", 0).put("status_counts", new JsonObject()).put("in_flight", 0)
          .put("max_concurrent", 0).put("distinct_ids", 0).put("duplicate_ids", 0)
          .put("duplicate_id_sample", new JsonArray()).put("prompt_tokens", 0).put("completion_tokens", 0)
          .put("truncated", 0).put("by_endpoint", new JsonObject()), stats);
      assertEquals(0, sim.stats().countFor("r-1"));
    });
  }

  @Test
  @DisplayName("GET /v1/models lists sim-1 first and an unknown path gets a 404 OpenAI error body")
  void modelsAndNotFound(Vertx vertx, VertxTestContext ctx) {
    Future<List<HttpResponse<Buffer>>> answers = start(vertx, FAST)
        .compose(s -> client.getAbs(sim.baseUrl() + "/models").send())
        .compose(models -> client.getAbs(sim.baseUrl() + "/nothing").send().map(missing -> List.of(models,
            missing)));
    verify(ctx, answers, responses -> {
      JsonObject models = responses.get(0).bodyAsJsonObject();
      assertEquals("list", models.getString("object"));
      assertEquals("sim-1", models.getJsonArray("data").getJsonObject(0).getString("id"));
      assertEquals(404, responses.get(1).statusCode());
      assertEquals("invalid_request_error", error(responses.get(1)).getString("type"));
    });
  }

  @Test
  @DisplayName("the rate window frees what it counted one minute later, not before")
  void rateWindow() {
    RateWindow window = new RateWindow();
    window.add(1_050, 3);
    window.add(30_000, 2);
    assertEquals(5, window.used(30_000));
    assertEquals(0, window.msUntilRoom(30_000, 5, 10));
    assertEquals(61_000 - 30_000, window.msUntilRoom(30_000, 7, 10), "the first 3 free when their bucket expires");
    assertEquals(90_000 - 30_000, window.msUntilRoom(30_000, 9, 10), "room for 9 needs the later 2 gone too");
    assertEquals(-1, window.msUntilRoom(30_000, 11, 10));
    assertEquals(5, window.used(60_999));
    assertEquals(2, window.used(61_000));
    assertEquals(0, window.used(90_000));
    assertEquals("250ms", RateLimits.duration(250));
    assertEquals("1s", RateLimits.duration(1_000));
    assertEquals("59.9s", RateLimits.duration(59_900));
    assertEquals("1m0s", RateLimits.duration(60_000));
  }

  @Test
  @DisplayName("bad options are refused with a message naming the option")
  void badOptions() {
    SimulatorOptions options = SimulatorOptions.defaults();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> options.withLatencyMs(-1)).getMessage()
        .contains("latencyMs"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> options.withErrorRate(1.5)).getMessage()
        .contains("errorRate"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> options.withRpm(-5)).getMessage()
        .contains("rpm"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> options.withWindowSeconds(0)).getMessage()
        .contains("windowSeconds"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> options.withWindowSeconds(61)).getMessage()
        .contains("windowSeconds"));
    assertEquals(options.withRpm(3).withSeed(9), SimulatorOptions.fromJson(options.withRpm(3).withSeed(9).toJson()));
    assertEquals(options.withWindowSeconds(7), SimulatorOptions.fromJson(options.withWindowSeconds(7).toJson()));
    assertEquals(60, SimulatorOptions.fromJson(new JsonObject()).windowSeconds(), "a minute unless told");
  }
}
