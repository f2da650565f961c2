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
import java.util.function.BiFunction;

/**
 * An HTTP proxy in front of a real ElasticMQ (JSON protocol) that makes it behave like an SQS it differs from: one
 * that does not know StartMessageMoveTask (older SQS-compatible servers), or a queue with a smaller
 * {@code MaximumMessageSize} (ElasticMQ keeps none). Everything else is forwarded unchanged.
 */
public final class SqsProxy implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;

  private SqsProxy(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** StartMessageMoveTask answered with the JSON protocol's UnsupportedOperation error. */
  public static SqsProxy withoutMoveTasks(String upstream) {
    return start(upstream, (request, body) -> "AmazonSQS.StartMessageMoveTask".equals(request.target()),
        (request, reply) -> reply);
  }

  /** GetQueueAttributes of {@code queueUrl} reports {@code maxMessageBytes} as its MaximumMessageSize. */
  public static SqsProxy withMaximumMessageSize(String upstream, String queueUrl, int maxMessageBytes) {
    String name = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    return start(upstream, (request, body) -> false, (request, reply) -> {
      if (!"AmazonSQS.GetQueueAttributes".equals(request.target()) || !name.equals(request.name())) {
        return reply;
      }
      JsonObject json = new JsonObject(reply);
      json.put("Attributes", json.getJsonObject("Attributes", new JsonObject())
          .put("MaximumMessageSize", String.valueOf(maxMessageBytes)));
      return json.toBuffer();
    });
  }

  /** A request as the rules see it: its action header and the name of the queue it names. */
  private record Request(String target, String name) {}

  private static SqsProxy start(String upstream, BiFunction<Request, Buffer, Boolean> unsupported,
      BiFunction<Request, Buffer, Buffer> rewrite) {
    Vertx vertx = Vertx.vertx();
    URI target = URI.create(upstream);
    HttpClient client = vertx.createHttpClient();
    HttpServer server = vertx.createHttpServer().requestHandler(in -> in.body().onSuccess(body -> {
      Request request = new Request(in.getHeader("X-Amz-Target"), queueName(body));
      if (unsupported.apply(request, body)) {
        in.response().setStatusCode(400).putHeader("Content-Type", "application/x-amz-json-1.0")
            .putHeader("x-amzn-query-error", "AWS.SimpleQueueService.UnsupportedOperation;Sender")
            .end("{\"__type\":\"com.amazonaws.sqs#UnsupportedOperation\",\"message\":\"" + request.target()
                + " is not supported by this server\"}");
        return;
      }
      forward(client, target, in, body)
          .onSuccess(reply -> in.response().end(rewrite.apply(request, reply)))
          .onFailure(e -> in.response().setStatusCode(502).end(String.valueOf(e)));
    }));
    return new SqsProxy(vertx, server.listen(0, "127.0.0.1").await());
  }

  private static String queueName(Buffer body) {
    try {
      String url = new JsonObject(body).getString("QueueUrl", "");
      return url.substring(url.lastIndexOf('/') + 1);
    } catch (RuntimeException e) {
      return "";
    }
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
