package dev.llmworker.store;

import dev.llmworker.sqs.AwsIdentity;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Files and records in an S3-protocol store (S3 itself, MinIO, the embedded S3Proxy) through the AWS SDK's async
 * client: every key lives under {@code prefix} in one bucket. Large objects go from and to files on disk, never
 * whole into memory. Results come back on the given Vert.x context.
 */
public final class ObjectStore implements AutoCloseable {
  private final S3AsyncClient s3;
  private final String bucket;
  private final String prefix;
  private final Context context;

  /** A stored object's key (without the prefix) and size. */
  public record Entry(String key, long bytes) {}

  ObjectStore(S3AsyncClient s3, String bucket, String prefix, Context context) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    this.context = context;
  }

  /** A client for {@code endpoint} ("" = AWS S3 in {@code region}); path-style addressing for any other endpoint. */
  public static ObjectStore open(String endpoint, String region, String bucket, String prefix, Context context) {
    S3AsyncClientBuilder builder = S3AsyncClient.builder()
        .region(Region.of(region))
        .credentialsProvider(AwsIdentity.forEndpoint(endpoint))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(64));
    if (!endpoint.isEmpty()) {
      // other S3-protocol servers (S3Proxy, older MinIO) refuse the SDK's default trailing checksums: send and check
      // checksums only where the operation requires them
      builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true)
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    return new ObjectStore(builder.build(), bucket, prefix, context);
  }

  /** The same store, its futures completing on {@code other} (one S3 client; close only the original). */
  public ObjectStore on(Context other) {
    return new ObjectStore(s3, bucket, prefix, other);
  }

  public String bucket() {
    return bucket;
  }

  /** Creates the bucket when it does not exist (the embedded store); a real bucket must exist already. */
  public Future<Void> ensureBucket(boolean create) {
    CompletableFuture<Void> checked = s3.headBucket(b -> b.bucket(bucket)).thenApply(r -> (Void) null)
        .exceptionallyCompose(e -> unwrap(e) instanceof NoSuchBucketException || status(e) == 404
            ? (create ? s3.createBucket(b -> b.bucket(bucket)).thenApply(r -> null)
                : CompletableFuture.failedFuture(new IllegalStateException("bucket " + bucket + " does not exist")))
            : CompletableFuture.failedFuture(unwrap(e)));
    return on(checked);
  }

  public Future<Void> putFile(String key, Path file, String contentType) {
    return on(s3.putObject(b -> b.bucket(bucket).key(prefix + key).contentType(contentType),
        AsyncRequestBody.fromFile(file)).thenApply(r -> null));
  }

  public Future<Void> putBytes(String key, Buffer bytes, String contentType) {
    return on(s3.putObject(b -> b.bucket(bucket).key(prefix + key).contentType(contentType),
        AsyncRequestBody.fromBytes(bytes.getBytes())).thenApply(r -> null));
  }

  /** A small object whole (a record), or null when there is none. */
  public Future<Buffer> getBytes(String key) {
    return on(s3.getObject(b -> b.bucket(bucket).key(prefix + key), AsyncResponseTransformer.toBytes())
        .thenApply(r -> Buffer.buffer(r.asByteArrayUnsafe()))
        .exceptionallyCompose(e -> notFound(e) ? CompletableFuture.completedFuture(null)
            : CompletableFuture.failedFuture(unwrap(e))));
  }

  /** Copies an object to a file on disk (created or replaced); fails with {@link NoSuchKeyException} if absent. */
  public Future<Void> download(String key, Path file) {
    return on(s3.getObject(b -> b.bucket(bucket).key(prefix + key), AsyncResponseTransformer.toFile(file,
        software.amazon.awssdk.core.FileTransformerConfiguration.defaultCreateOrReplaceExisting()))
        .thenApply(r -> null));
  }

  /** Every object whose key starts with {@code keyPrefix}, in key order. */
  public Future<List<Entry>> list(String keyPrefix) {
    List<Entry> entries = new ArrayList<>();
    return on(s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + keyPrefix))
        .subscribe(page -> page.contents().stream()
            .filter(o -> !o.key().endsWith("/")) // a folder marker (S3Proxy's directories), not an object
            .forEach(o -> entries.add(entry(o))))
        .thenApply(v -> entries));
  }

  public Future<Void> delete(String key) {
    return on(s3.deleteObject(b -> b.bucket(bucket).key(prefix + key)).thenApply(r -> null));
  }

  private Entry entry(S3Object o) {
    return new Entry(o.key().substring(prefix.length()), o.size());
  }

  /** Whether a failure means the key is not there. */
  public static boolean notFound(Throwable e) {
    return unwrap(e) instanceof NoSuchKeyException || status(e) == 404;
  }

  private static int status(Throwable e) {
    return unwrap(e) instanceof software.amazon.awssdk.awscore.exception.AwsServiceException s ? s.statusCode() : 0;
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  private <T> Future<T> on(CompletableFuture<T> future) {
    return Future.fromCompletionStage(future.exceptionallyCompose(e -> CompletableFuture.failedFuture(unwrap(e))),
        context);
  }

  @Override
  public void close() {
    s3.close();
  }
}
