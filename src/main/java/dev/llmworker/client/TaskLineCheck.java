package dev.llmworker.client;

import dev.llmworker.provider.ProviderRoutes;
import dev.llmworker.sqs.FifoIds;
import dev.llmworker.sqs.SqsText;
import dev.llmworker.task.Task;
import dev.llmworker.task.TaskDecoder;
import dev.llmworker.task.TaskRejected;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decides whether one line of a submitted file can go to the tasks queue: the checks the workers make
 * ({@link TaskDecoder}, with the same providers, and whether the provider a task goes to serves its endpoint), then what SQS would refuse (size, characters), a custom_id
 * already used in this file, and for FIFO queues the group. A rejection is a {@link TaskRejected} with a code.
 */
public final class TaskLineCheck {
  private final TaskDecoder decoder;
  private final ProviderRoutes routes;
  private final MessageLimit limit;
  private final String providerOverride;
  private final boolean fifo;
  private final String[] groupByPath;
  private final SeenIds seen = new SeenIds();

  /**
   * @param providerOverride a configured provider to set in every task, or null to send lines unchanged
   * @param groupBy          for FIFO queues: a field (dotted path) whose value is the message group; null for
   *                         one group per task (its custom_id)
   */
  public TaskLineCheck(TaskDecoder decoder, ProviderRoutes routes, MessageLimit limit, String providerOverride,
      boolean fifo, String groupBy) {
    this.decoder = decoder;
    this.routes = routes;
    this.limit = limit;
    this.providerOverride = providerOverride;
    this.fifo = fifo;
    this.groupByPath = groupBy == null ? null : groupBy.split("\\.", -1);
  }

  public CheckedTask check(InputLines.Line line) {
    if (!line.readable()) {
      throw new TaskRejected(line.problemCode(), line.problem(), null);
    }
    String body = providerOverride == null ? line.text() : withProvider(line.text());
    Task task = decoder.decode(body);
    String unsupported = routes.unsupported(task, routes.route(task));
    if (unsupported != null) {
      throw new TaskRejected("unsupported_endpoint", unsupported, task.customId());
    }
    int bad = SqsText.firstInvalid(body);
    if (bad >= 0) {
      throw new TaskRejected("bad_characters", String.format(Locale.ROOT, "character U+%04X at column %d is not "
          + "allowed in an SQS message", (int) body.charAt(bad), bad + 1), task.customId());
    }
    int bytes = providerOverride == null ? (int) line.bytes() : body.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > limit.bytes()) {
      throw new TaskRejected("too_large", limit.tooLarge(bytes, " with \"provider\" set"), task.customId());
    }
    String group = fifo ? group(body, task.customId()) : null;
    int firstLine = seen.putIfAbsent(task.customId(), (int) Math.min(line.number(), Integer.MAX_VALUE));
    if (firstLine >= 0) {
      throw new TaskRejected("duplicate_custom_id", "custom_id \"" + TaskDecoder.clip(task.customId())
          + "\" is already on line " + firstLine, task.customId());
    }
    return new CheckedTask(line.number(), body, bytes, group,
        fifo ? FifoIds.deduplicationId(task.customId()) : null);
  }

  /** The line re-encoded with "provider" set; a line that is no JSON object is left for the decoder to reject. */
  private String withProvider(String text) {
    try {
      return new JsonObject(text).put("provider", providerOverride).encode();
    } catch (DecodeException | ClassCastException e) {
      return text;
    }
  }

  private String group(String body, String customId) {
    if (groupByPath == null) {
      return groupId(customId);
    }
    Object value = new JsonObject(body);
    for (String key : groupByPath) {
      value = value instanceof JsonObject object ? object.getValue(key) : null;
    }
    if (value == null) {
      throw new TaskRejected("missing_group", "no \"" + String.join(".", groupByPath)
          + "\" to take the message group from (--group-by)", customId);
    }
    if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
      throw new TaskRejected("bad_group", "\"" + String.join(".", groupByPath)
          + "\" must be a string or a number to be a message group (--group-by)", customId);
    }
    return groupId(value.toString());
  }

  /** Values SQS would not take as a group id (too long, spaces, non-ASCII) map to a stable hash of themselves. */
  private static String groupId(String value) {
    return SqsText.validGroupId(value) ? value : FifoIds.deduplicationId(value);
  }
}
