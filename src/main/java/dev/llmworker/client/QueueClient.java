package dev.llmworker.client;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.sqs.QueueSetup;
import dev.llmworker.sqs.QueueUrls;
import dev.llmworker.sqs.SqsClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * A command's connection to the queues of a deployment: the configured SQS, or, when none is configured (no
 * {@code sqs.endpoint}, no {@code sqs.queueUrl}), the embedded SQS of a {@code run} or {@code demo} on this machine
 * at {@code sqs.embedded.host:sqs.embedded.port}. Blocking: for command-line threads only.
 */
public final class QueueClient implements AutoCloseable {
  /** Long polls the commands may have open at once; the rest of the pool serves sends and deletes. */
  private static final int POLLS = 8;
  /** sqs.eu-west-1.amazonaws.com, and the legacy eu-west-1.queue.amazonaws.com. */
  private static final Pattern AWS_HOST = Pattern.compile(
      "(?:sqs\\.([a-z0-9-]+)|([a-z0-9-]+)\\.queue)\\.amazonaws\\.com(?:\\.cn)?");

  private final SqsClients clients;
  private final QueueUrls queues;
  private final String endpoint;

  private QueueClient(SqsClients clients, QueueUrls queues, String endpoint) {
    this.clients = clients;
    this.queues = queues;
    this.endpoint = endpoint;
  }

  /** Connects and finds the tasks, results and dead-letter queues; a clear {@link ClientException} if it cannot. */
  public static QueueClient connect(LlmwConfig config) {
    LlmwConfig.Sqs sqs = target(config.sqs());
    if (!sqs.endpoint().isEmpty() && !listening(URI.create(sqs.endpoint()))) {
      throw unreachable(config.sqs(), sqs, new UncheckedIOException(new ConnectException("connection refused")));
    }
    SqsClients clients = new SqsClients(sqs, POLLS);
    try {
      QueueUrls queues = new QueueSetup(clients.operations(), sqs).resolve().await();
      return new QueueClient(clients, queues, describe(sqs));
    } catch (RuntimeException e) {
      clients.close();
      throw unreachable(config.sqs(), sqs, e);
    }
  }

  /**
   * For a command that only sends tasks to {@code queueUrl}: no lookups of the other queues. With no
   * {@code sqs.endpoint} configured, the URL says where the queue is: an AWS queue URL means AWS SQS in the
   * URL's region, any other URL (ElasticMQ, LocalStack, a running node's embedded SQS) is its own endpoint.
   */
  public static QueueClient forTasks(LlmwConfig config, String queueUrl) {
    LlmwConfig.Sqs sqs = config.sqs().endpoint().isEmpty() ? locatedBy(config.sqs(), URI.create(queueUrl))
        : config.sqs();
    return new QueueClient(new SqsClients(sqs, POLLS), new QueueUrls(queueUrl, "", "",
        sqs.maxReceiveCount()), describe(sqs));
  }

  private static LlmwConfig.Sqs locatedBy(LlmwConfig.Sqs sqs, URI queueUrl) {
    String host = queueUrl.getHost() == null ? "" : queueUrl.getHost();
    Matcher aws = AWS_HOST.matcher(host);
    String endpoint = aws.matches() ? "" : queueUrl.getScheme() + "://" + queueUrl.getRawAuthority();
    String region = aws.matches() ? aws.group(1) != null ? aws.group(1) : aws.group(2) : sqs.region();
    // queueUrl set: an explicit queue, so never the embedded-SQS default even when the endpoint stays empty
    return new LlmwConfig.Sqs(endpoint, region, queueUrl.toString(), sqs.resultsQueueUrl(), sqs.dlqUrl(),
        sqs.queueName(), sqs.resultsQueueName(), sqs.dlqName(), sqs.waitTimeSeconds(),
        sqs.visibilityTimeoutSeconds(), sqs.maxConnections(), sqs.embeddedHost(), sqs.embeddedPort(),
        sqs.maxReceiveCount(), sqs.maxMessageBytes(), sqs.batchResultsQueueUrl(), sqs.batchResultsQueueName());
  }

  /** The configured SQS, or the embedded one of a running node when nothing is configured. */
  static LlmwConfig.Sqs target(LlmwConfig.Sqs sqs) {
    return sqs.embedded() ? sqs.withEndpoint(embeddedEndpoint(sqs)) : sqs;
  }

  static String embeddedEndpoint(LlmwConfig.Sqs sqs) {
    return "http://" + sqs.embeddedHost() + ":" + sqs.embeddedPort();
  }

  private static String describe(LlmwConfig.Sqs sqs) {
    return sqs.endpoint().isEmpty() ? "AWS SQS (" + sqs.region() + ")" : sqs.endpoint();
  }

  private static RuntimeException unreachable(LlmwConfig.Sqs configured, LlmwConfig.Sqs used, RuntimeException e) {
    if (!refused(e)) {
      return e;
    }
    if (configured.embedded()) {
      return new ClientException("no SQS is configured (sqs.endpoint, sqs.queueUrl) and no embedded SQS of a "
          + "running `llm-worker run` or `demo` answers at " + used.endpoint() + " (sqs.embedded.host, "
          + "sqs.embedded.port): start one, or set LLMW_SQS_ENDPOINT / LLMW_SQS_QUEUE_URL");
    }
    return new ClientException("SQS at " + describe(used) + " (sqs.endpoint) cannot be reached: " + e.getMessage());
  }

  /**
   * Whether anything accepts connections there. Asked first because the SDK's connection pool, after a refused
   * connection, now and then leaves the request waiting out the whole acquisition timeout (a minute) before it
   * fails: the most common mistake (no node running) would look like a hang.
   */
  private static boolean listening(URI endpoint) {
    int port = endpoint.getPort() > 0 ? endpoint.getPort() : "https".equals(endpoint.getScheme()) ? 443 : 80;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(endpoint.getHost(), port), 2_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean refused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || (t instanceof SdkClientException && t.getMessage() != null
          && t.getMessage().contains("Unable to execute HTTP request"))) {
        return true;
      }
    }
    return false;
  }

  public SqsClients clients() {
    return clients;
  }

  public QueueUrls queues() {
    return queues;
  }

  /** Where the queues are, for the commands' first line ("AWS SQS (eu-west-1)" or the endpoint URL). */
  public String endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    clients.close();
  }
}
