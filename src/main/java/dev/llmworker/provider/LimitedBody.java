package dev.llmworker.provider;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * A response body buffered up to {@code maxBytes} ({@code provider.maxResponseBytes}): a larger one fails the call
 * with {@link ProviderFailure} {@code response_too_large} as soon as it passes the limit, and the rest of it is read
 * and dropped, never held.
 */
final class LimitedBody implements BodyCodec<Buffer> {
  private final int maxBytes;
  private final String provider;

  LimitedBody(int maxBytes, String provider) {
    this.maxBytes = maxBytes;
    this.provider = provider;
  }

  @Override
  public BodyStream<Buffer> stream() {
    return new Stream();
  }

  private final class Stream implements BodyStream<Buffer> {
    private final Promise<Buffer> result = Promise.promise();
    private final Buffer body = Buffer.buffer();
    private long received;

    @Override
    public Future<Buffer> result() {
      return result.future();
    }

    @Override
    public void handle(Throwable failure) {
      result.tryFail(failure);
    }

    @Override
    public Future<Void> write(Buffer data) {
      received += data.length();
      if (received > maxBytes) {
        result.tryFail(ProviderFailure.responseTooLarge("the answer of " + provider + " is over "
            + "provider.maxResponseBytes (" + maxBytes + " bytes): at least " + received + " bytes"));
      } else if (!result.future().isComplete()) {
        body.appendBuffer(data);
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      result.tryComplete(body);
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
