package dev.llmworker.sim;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/** A running LLM simulator: where it listens, what it saw, and how to stop it. */
public final class LlmSimulator {
  private final Vertx vertx;
  private final String deploymentId;
  private final SimulatorVerticle verticle;
  private final String host;
  private Future<Void> closed;

  private LlmSimulator(Vertx vertx, String deploymentId, SimulatorVerticle verticle, String host) {
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.verticle = verticle;
    this.host = host;
  }

  /** Deploys a simulator; completes once it listens. */
  public static Future<LlmSimulator> start(Vertx vertx, SimulatorOptions options) {
    SimulatorVerticle verticle = new SimulatorVerticle();
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(options.toJson()))
        .map(id -> new LlmSimulator(vertx, id, verticle, options.host()));
  }

  public String host() {
    return host;
  }

  public int port() {
    return verticle.port();
  }

  /** What an OpenAI client takes as its base URL: {@code http://host:port/v1}. */
  public String baseUrl() {
    return "http://" + host + ":" + port() + "/v1";
  }

  /** Live counters; {@code GET /stats} serves the same. */
  public SimulatorStats stats() {
    return verticle.stats();
  }

  /** The last 1000 requests of every dialect and endpoint, oldest first, as received. */
  public List<RecordedRequest> requests() {
    return verticle.requests().snapshot();
  }

  public void clearRequests() {
    verticle.requests().clear();
  }

  /**
   * Swaps the injected fault rates for the requests that arrive from now on, e.g. 500s on for one phase of a test
   * and off again after. Callable from any thread. A seeded run stays reproducible as long as the swaps happen at
   * the same points of the request sequence.
   */
  public void setFaults(FaultRates faults) {
    verticle.setFaults(faults);
  }

  /** Undeploys the simulator; calling it again returns the same future. */
  public synchronized Future<Void> close() {
    if (closed == null) {
      closed = vertx.undeploy(deploymentId);
    }
    return closed;
  }
}
