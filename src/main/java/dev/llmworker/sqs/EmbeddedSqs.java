package dev.llmworker.sqs;

import dev.llmworker.app.ConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import scala.concurrent.Await;
import scala.concurrent.duration.Duration;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * An in-JVM SQS server (ElasticMQ) so that a fresh machine runs without an AWS account. Other processes
 * (the AWS CLI, another llm-worker) can use it at {@link #endpoint()} while this process runs. Starting
 * and stopping block: call them from a main or worker thread, never an event loop.
 */
public final class EmbeddedSqs implements AutoCloseable {
  private final SQSRestServer server;
  private final String host;
  private final int port;

  private EmbeddedSqs(SQSRestServer server, String host, int port) {
    this.server = server;
    this.host = host;
    this.port = port;
  }

  /** @param port 0 picks a free port */
  public static EmbeddedSqs start(String host, int port) {
    // llm-worker stops the server itself, in order (after the poller has flushed its acks). Pekko's own JVM
    // shutdown hook would terminate the actor system underneath that stop, which then never completes.
    System.setProperty("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
    System.setProperty("pekko.jvm-shutdown-hooks", "off");
    int chosen = port == 0 ? freePort(host) : port;
    ensureFree(host, chosen);
    SQSRestServer server = SQSRestServerBuilder.withInterface(host)
        .withPort(chosen)
        .withServerAddress(new NodeAddress("http", host, chosen, ""))
        .withAWSRegion("us-east-1")
        .start();
    server.waitUntilStarted();
    return new EmbeddedSqs(server, host, chosen);
  }

  public String endpoint() {
    return "http://" + host + ":" + port;
  }

  public int port() {
    return port;
  }

  /**
   * Stops the server, waiting at most half a second: it stops listening at once, but lets a long poll that a
   * departed client left behind run out its wait time (up to 20 s), and there is nothing to flush in an in-memory
   * queue. A node's stop must not wait for that (an idle node exits within 2 s of SIGTERM).
   */
  @Override
  public void close() {
    try {
      Await.result(server.stopAndGetFuture().apply(), Duration.create(500, TimeUnit.MILLISECONDS));
    } catch (Exception e) {
      LoggerFactory.getLogger(EmbeddedSqs.class).debug("embedded SQS still finishing long polls: {}", e.toString());
    }
  }

  private static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(host, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new ConfigException("sqs.embedded.host", "an address of this machine", host);
    }
  }

  private static void ensureFree(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new ConfigException("sqs.embedded.port: " + host + ":" + port + " is already in use (another llm-worker?)."
          + " Use it with LLMW_SQS_ENDPOINT=http://" + host + ":" + port + ", or pick another port with"
          + " LLMW_SQS_EMBEDDED_PORT");
    }
  }
}
