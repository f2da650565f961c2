package dev.llmworker.store;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.FilesystemApiMetadata;

/**
 * The embedded S3-protocol store: S3Proxy over a directory (jclouds' filesystem store) on loopback, the way
 * ElasticMQ is the embedded SQS. llm-worker talks to it through the AWS SDK exactly as to S3, so the embedded
 * and the production path are one. Blocking: start and stop it off the event loop.
 */
public final class EmbeddedS3 implements AutoCloseable {
  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final String endpoint;

  private EmbeddedS3(S3Proxy proxy, BlobStoreContext context, String endpoint) {
    this.proxy = proxy;
    this.context = context;
    this.endpoint = endpoint;
  }

  /** Serves {@code dir} (created if missing) on {@code host}:{@code port} (0 = any free port). */
  public static EmbeddedS3 start(String host, int port, Path dir) throws Exception {
    Files.createDirectories(dir);
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
    // by its metadata, not its name: a name makes jclouds load every provider on the classpath, S3Proxy's cloud ones too
    BlobStoreContext context = ContextBuilder.newBuilder(new FilesystemApiMetadata()).overrides(properties)
        .build(BlobStoreContext.class);
    S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
        .endpoint(URI.create("http://" + host + ":" + port))
        .awsAuthentication(AuthenticationType.NONE, null, null)
        .build();
    proxy.start(); // Jetty's start: returns once listening, or throws
    if (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
      context.close();
      throw new IllegalStateException("the embedded S3 store did not start on " + host + ":" + port + " ("
          + proxy.getState() + ")");
    }
    return new EmbeddedS3(proxy, context, "http://" + host + ":" + proxy.getPort());
  }

  public String endpoint() {
    return endpoint;
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } finally {
      context.close();
    }
  }
}
