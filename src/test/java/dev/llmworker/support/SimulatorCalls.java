package dev.llmworker.support;

import dev.llmworker.sim.LlmSimulator;
import dev.llmworker.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * A simulator on a free port and blocking HTTP calls to it, for tests that read best as a sequence of calls (the
 * test thread waits with {@code Future.await()}, never an event loop).
 */
public final class SimulatorCalls implements AutoCloseable {
  private final LlmSimulator sim;
  private final WebClient client;

  private SimulatorCalls(LlmSimulator sim, WebClient client) {
    this.sim = sim;
    this.client = client;
  }

  public static SimulatorCalls start(Vertx vertx, SimulatorOptions options) {
    return new SimulatorCalls(LlmSimulator.start(vertx, options).await(), WebClient.create(vertx));
  }

  public LlmSimulator sim() {
    return sim;
  }

  /** POSTs {@code body} to {@code pathAndQuery} with the given header name/value pairs, and waits for the answer. */
  public HttpResponse<Buffer> post(String pathAndQuery, JsonObject body, String... headers) {
    HttpRequest<Buffer> request = client.postAbs("http://" + sim.host() + ":" + sim.port() + pathAndQuery);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return request.sendJsonObject(body).await();
  }

  public HttpResponse<Buffer> get(String path) {
    return client.getAbs("http://" + sim.host() + ":" + sim.port() + path).send().await();
  }

  /** A JSON array of numbers as float32 values, as the simulator wrote them. */
  public static float[] floats(JsonArray array) {
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.getNumber(i).floatValue();
    }
    return values;
  }

  @Override
  public void close() {
    client.close();
    sim.close().await();
  }
}
