package dev.llmworker.batch;

import dev.llmworker.app.ConfigException;
import dev.llmworker.app.LlmwConfig;
import dev.llmworker.client.MessageLimit;
import dev.llmworker.provider.ProviderRoutes;
import dev.llmworker.sqs.QueueUrls;
import dev.llmworker.store.ObjectStore;
import dev.llmworker.task.TaskDecoder;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The Batch API's moving parts on a node that serves it: the collector draining the batch results queue into the
 * store, the sweeper moving batches on, and the {@link BatchService} the HTTP API calls. All on this verticle's
 * context.
 */
public final class BatchVerticle extends VerticleBase {
  /** Room left in each task message for the batch tag's attributes. */
  private static final int TAG_BYTES = 128;

  /** What the verticle needs from its node. */
  public record Wiring(LlmwConfig config, ObjectStore store, SqsAsyncClient sqs, QueueUrls queues, String nodeId,
      MeterRegistry registry) {}

  private final Wiring w;
  private BatchService service;
  private BatchCollector collector;
  private BatchSweeper sweeper;

  public BatchVerticle(Wiring wiring) {
    this.w = wiring;
  }

  @Override
  public Future<?> start() {
    if (w.queues().batchResults() == null) {
      return Future.failedFuture(new ConfigException("sqs.batchResultsQueueUrl: not set, and no queue named \""
          + w.config().sqs().batchResultsQueueName() + "\" exists; the Batch API (api.tokens) needs a queue for its "
          + "results: create it, or set sqs.batchResultsQueueUrl / sqs.batchResultsQueueName"));
    }
    BatchRecords records = new BatchRecords(vertx, w.store().on(context));
    Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "llmw-batches");
    Set<String> providers = new LinkedHashSet<>();
    w.config().providers().forEach(p -> providers.add(p.name()));
    BatchLines.Rules rules = new BatchLines.Rules(new TaskDecoder(providers), new ProviderRoutes(w.config().providers()),
        new MessageLimit(w.config().sqs().maxMessageBytes() - TAG_BYTES, "sqs.maxMessageBytes, less the batch tag"),
        w.queues().tasks());
    BatchRunner runner = new BatchRunner(vertx, records,
        new BatchEnqueuer(rules, w.sqs(), w.config().api().maxBatchLines()), w.nodeId(), workDir);
    sweeper = new BatchSweeper(vertx, records, runner, new BatchFinalizer(vertx, records, workDir));
    collector = new BatchCollector(vertx, w.sqs(), w.queues().batchResults(), w.queues().results(), records,
        sweeper::collected, sweeper::completed);
    service = new BatchService(vertx, records, runner, w.config().api().completionWindowSeconds());
    BatchMetrics.bind(w.registry(), sweeper::latest);
    collector.start();
    sweeper.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    sweeper.stop();
    return collector.stop();
  }

  public BatchService service() {
    return service;
  }
}
