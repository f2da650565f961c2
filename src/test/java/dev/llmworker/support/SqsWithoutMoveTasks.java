package dev.llmworker.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * An SQS endpoint that does not know StartMessageMoveTask, like older SQS-compatible servers: an HTTP proxy in
 * front of a real ElasticMQ that answers that one action with the JSON protocol's UnsupportedOperation error and
 * forwards everything else unchanged.
 */
public final class SqsWithoutMoveTasks implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;

  private SqsWithoutMoveTasks(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  public static SqsWithoutMoveTasks start(String upstream) {
    Vertx vertx = Vertx.vertx();
    URI target = URI.create(upstream);
    HttpClient client = vertx.createHttpClient();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      if ("AmazonSQS.StartMessageMoveTask".equals(request.getHeader("X-Amz-Target"))) {
        request.response().setStatusCode(400).putHeader("Content-Type", "application/x-amz-json-1.0")
            .putHeader("x-amzn-query-error", "AWS.SimpleQueueService.UnsupportedOperation;Sender")
            .end("{\"__type\":\"com.amazonaws.sqs#UnsupportedOperation\",\"message\":\"StartMessageMoveTask is not "
                + "supported by this server\"}");
        return;
      }
      forward(client, target, request);
    });
    return new SqsWithoutMoveTasks(vertx, server.listen(0, "127.0.0.1").await());
  }

  private static void forward(HttpClient client, URI target, HttpServerRequest in) {
    in.body()
        .compose(body -> client.request(new RequestOptions().setMethod(in.method()).setHost(target.getHost())
                .setPort(target.getPort()).setURI(in.uri()).setHeaders(in.headers()))
            .compose(out -> out.send(body)))
        .compose(reply -> reply.body().map(body -> {
          in.response().setStatusCode(reply.statusCode()).headers().setAll(reply.headers());
          return body;
        }))
        .onSuccess(body -> in.response().end(body))
        .onFailure(e -> in.response().setStatusCode(502).end(String.valueOf(e)));
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  @Override
  public void close() {
    Future.join(server.close(), vertx.close()).await();
  }
}
