package dev.llmworker.sqs;

import dev.llmworker.app.ConfigException;
import dev.llmworker.app.LlmwConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** Finds (or, for embedded SQS, creates) the tasks, results and dead-letter queues. */
public final class QueueSetup {
  private final SqsAsyncClient sqs;
  private final LlmwConfig.Sqs config;

  public QueueSetup(SqsAsyncClient sqs, LlmwConfig.Sqs config) {
    this.sqs = sqs;
    this.config = config;
  }

  /** Creates the three queues with a redrive policy (idempotent: existing queues are kept). */
  public Future<QueueUrls> create() {
    return createQueue(config.dlqName(), Map.of())
        .compose(dlq -> arn(dlq).compose(dlqArn -> createQueue(config.queueName(), Map.of(
                QueueAttributeName.REDRIVE_POLICY, redrivePolicy(dlqArn, config.maxReceiveCount()),
                QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(config.visibilityTimeoutSeconds()))))
            .compose(tasks -> createQueue(config.resultsQueueName(), Map.of())
                .compose(results -> createQueue(config.batchResultsQueueName(), Map.of())
                    .map(batch -> new QueueUrls(tasks, results, dlq, config.maxReceiveCount(), batch)))));
  }

  /** Uses configured URLs, else looks queues up by name; the DLQ defaults to the tasks queue's redrive target. */
  public Future<QueueUrls> resolve() {
    return url(config.queueUrl(), config.queueName(), "sqs.queueUrl")
        .compose(tasks -> url(config.resultsQueueUrl(), config.resultsQueueName(), "sqs.resultsQueueUrl")
            .compose(results -> redrive(tasks)
                .compose(redrive -> dlqUrl(redrive)
                    .compose(dlq -> batchResults()
                        .map(batch -> new QueueUrls(tasks, results, dlq, maxReceiveCount(redrive), batch))))));
  }

  /** Names ending in .fifo make FIFO queues (the dead-letter queue of a FIFO queue must be FIFO too). */
  private Future<String> createQueue(String name, Map<QueueAttributeName, String> attributes) {
    Map<QueueAttributeName, String> all = new java.util.HashMap<>(attributes);
    if (name.endsWith(".fifo")) {
      all.put(QueueAttributeName.FIFO_QUEUE, "true");
    }
    return Future.fromCompletionStage(sqs.createQueue(b -> b.queueName(name).attributes(all)))
        .map(r -> r.queueUrl());
  }

  private Future<String> arn(String queueUrl) {
    return Future.fromCompletionStage(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
            .attributeNames(QueueAttributeName.QUEUE_ARN)))
        .map(r -> r.attributes().get(QueueAttributeName.QUEUE_ARN));
  }

  private Future<String> url(String configured, String name, String key) {
    if (!configured.isEmpty()) {
      return Future.succeededFuture(configured);
    }
    return Future.fromCompletionStage(sqs.getQueueUrl(b -> b.queueName(name)))
        .map(r -> r.queueUrl())
        .recover(e -> Future.failedFuture(e instanceof QueueDoesNotExistException
            || e.getCause() instanceof QueueDoesNotExistException
            ? new ConfigException(key + ": not set, and no queue named \"" + name + "\" exists at "
                + (config.endpoint().isEmpty() ? "AWS" : config.endpoint()) + "; set " + key + " or create the queue")
            : e));
  }

  /**
   * The Batch API's results queue: configured, else looked up by name; null when there is none (a node that serves
   * the Batch API refuses to start without it, see {@code Node}).
   */
  private Future<String> batchResults() {
    return url(config.batchResultsQueueUrl(), config.batchResultsQueueName(), "sqs.batchResultsQueueUrl")
        .recover(e -> e instanceof ConfigException ? Future.succeededFuture(null) : Future.failedFuture(e));
  }

  /** The tasks queue's redrive policy, or null when it has none. */
  private Future<JsonObject> redrive(String tasksUrl) {
    return Future.fromCompletionStage(sqs.getQueueAttributes(b -> b.queueUrl(tasksUrl)
            .attributeNames(QueueAttributeName.REDRIVE_POLICY)))
        .map(GetQueueAttributesResponse::attributes)
        .map(attributes -> attributes.get(QueueAttributeName.REDRIVE_POLICY))
        .map(policy -> policy == null || policy.isBlank() ? null : new JsonObject(policy));
  }

  private Future<String> dlqUrl(JsonObject redrive) {
    if (!config.dlqUrl().isEmpty()) {
      return Future.succeededFuture(config.dlqUrl());
    }
    if (redrive == null || redrive.getString("deadLetterTargetArn") == null) {
      return Future.failedFuture(new ConfigException("sqs.dlqUrl: not set, and the tasks queue has no redrive "
          + "policy naming a dead-letter queue; set sqs.dlqUrl so that failed tasks are kept, not lost"));
    }
    String arn = redrive.getString("deadLetterTargetArn");
    String[] parts = arn.split(":");
    String name = parts[parts.length - 1];
    String owner = parts.length >= 5 ? parts[4] : null;
    return Future.fromCompletionStage(sqs.getQueueUrl(b -> b.queueName(name).queueOwnerAWSAccountId(owner)))
        .map(r -> r.queueUrl());
  }

  private int maxReceiveCount(JsonObject redrive) {
    Object value = redrive == null ? null : redrive.getValue("maxReceiveCount");
    try {
      return value == null ? config.maxReceiveCount() : Integer.parseInt(value.toString());
    } catch (NumberFormatException e) {
      return config.maxReceiveCount();
    }
  }

  static String redrivePolicy(String dlqArn, int maxReceiveCount) {
    return new JsonObject().put("deadLetterTargetArn", dlqArn).put("maxReceiveCount", maxReceiveCount).encode();
  }
}
