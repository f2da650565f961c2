package dev.llmworker.sqs;

import dev.llmworker.app.LlmwConfig;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executor;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClientBuilder;

/**
 * The node's SQS clients. Long polls get their own client so that idle 20-second receives can never take
 * the connections that deletes and result sends need (the starvation that slows many SQS listeners).
 */
public final class SqsClients implements AutoCloseable {
  private final SqsAsyncClient polling;
  private final SqsAsyncClient operations;
  private final SqsCallCounter counter = new SqsCallCounter();
  /** One small I/O thread group for both clients: on a few cores, more threads only add switching. */
  private final SdkEventLoopGroup eventLoops = SdkEventLoopGroup.builder().numberOfThreads(2).build();

  public SqsClients(LlmwConfig.Sqs config, int concurrentPolls) {
    this.polling = build(config, concurrentPolls + 2, Duration.ofSeconds(config.waitTimeSeconds() + 15L));
    this.operations = build(config, config.maxConnections(), Duration.ofSeconds(30));
  }

  /** For ReceiveMessage only. */
  public SqsAsyncClient polling() {
    return polling;
  }

  /** For everything else: deletes, visibility changes, sends, queue attributes. */
  public SqsAsyncClient operations() {
    return operations;
  }

  public SqsCallCounter counter() {
    return counter;
  }

  private SqsAsyncClient build(LlmwConfig.Sqs config, int connections, Duration readTimeout) {
    SqsAsyncClientBuilder builder = SqsAsyncClient.builder()
        .region(Region.of(config.region()))
        .credentialsProvider(AwsIdentity.forEndpoint(config.endpoint()))
        .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
        // our continuations only hop to a Vert.x context: no need for the SDK's extra completion thread pool
        .asyncConfiguration(a -> a.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR,
            (Executor) Runnable::run))
        // MD5 of every body on send and receive costs CPU per message and buys nothing over TLS/loopback
        .checksumValidationEnabled(false)
        .httpClientBuilder(NettyNioAsyncHttpClient.builder()
            .eventLoopGroup(eventLoops)
            .maxConcurrency(connections)
            .maxPendingConnectionAcquires(100_000)
            .readTimeout(readTimeout)
            .connectionTimeout(Duration.ofSeconds(5))
            .connectionAcquisitionTimeout(Duration.ofSeconds(60))
            .tcpKeepAlive(true));
    if (!config.endpoint().isEmpty()) {
      builder.endpointOverride(URI.create(config.endpoint()));
    }
    return builder.build();
  }

  /** Blocking (waits up to 3 s for connections to close): call from a worker or main thread. */
  @Override
  public void close() {
    polling.close();
    operations.close();
    // wait for the connections to be closed, so that a server stopping next (embedded SQS) sees none open
    eventLoops.eventLoopGroup().shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS)
        .awaitUninterruptibly(3, java.util.concurrent.TimeUnit.SECONDS);
  }
}
