package dev.llmworker.poller;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SQS message ids whose result this node already stored, most recent 100,000. A message that comes back
 * anyway (its delete failed, or its visibility ran out just as it finished) is deleted again without a second
 * LLM call.
 */
final class CompletedMessages {
  private static final int CAPACITY = 100_000;

  private final Map<String, Boolean> ids = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > CAPACITY;
    }
  };

  void add(String messageId) {
    ids.put(messageId, Boolean.TRUE);
  }

  boolean contains(String messageId) {
    return ids.containsKey(messageId);
  }
}
