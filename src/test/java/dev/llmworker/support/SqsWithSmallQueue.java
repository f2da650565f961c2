package dev.llmworker.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;

/**
 * ElasticMQ does not keep a queue's {@code MaximumMessageSize}; real SQS does. This HTTP proxy in front of ElasticMQ
 * answers GetQueueAttributes for one queue with the given {@code MaximumMessageSize} added, and forwards everything
 * else unchanged (JSON protocol).
 */
public final class SqsWithSmallQueue implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;

  private SqsWithSmallQueue(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  public static SqsWithSmallQueue start(String upstream, String queueUrl, int maxMessageBytes) {
    Vertx vertx = Vertx.vertx();
    URI target = URI.create(upstream);
    HttpClient client = vertx.createHttpClient();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body()
        .compose(body -> forward(client, target, request, body)
            .map(reply -> attributesOf(request, body, queueUrl) ? withMaxSize(reply, maxMessageBytes) : reply))
        .onSuccess(reply -> request.response().end(reply))
        .onFailure(e -> request.response().setStatusCode(502).end(String.valueOf(e))));
    return new SqsWithSmallQueue(vertx, server.listen(0, "127.0.0.1").await());
  }

  private static boolean attributesOf(HttpServerRequest request, Buffer body, String queueUrl) {
    if (!"AmazonSQS.GetQueueAttributes".equals(request.getHeader("X-Amz-Target"))) {
      return false;
    }
    String asked = new JsonObject(body).getString("QueueUrl", "");
    return asked.substring(asked.lastIndexOf('/') + 1).equals(queueUrl.substring(queueUrl.lastIndexOf('/') + 1));
  }

  private static Buffer withMaxSize(Buffer reply, int maxMessageBytes) {
    JsonObject json = new JsonObject(reply);
    JsonObject attributes = json.getJsonObject("Attributes", new JsonObject());
    json.put("Attributes", attributes.put("MaximumMessageSize", String.valueOf(maxMessageBytes)));
    return json.toBuffer();
  }

  private static Future<Buffer> forward(HttpClient client, URI target, HttpServerRequest in, Buffer body) {
    return client.request(new RequestOptions().setMethod(in.method()).setHost(target.getHost())
            .setPort(target.getPort()).setURI(in.uri()).setHeaders(in.headers()))
        .compose(out -> out.send(body))
        .compose(reply -> reply.body().map(replyBody -> {
          in.response().setStatusCode(reply.statusCode()).headers().setAll(reply.headers())
              .remove(HttpHeaders.CONTENT_LENGTH);
          return replyBody;
        }));
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  @Override
  public void close() {
    Future.join(server.close(), vertx.close()).await();
  }
}
