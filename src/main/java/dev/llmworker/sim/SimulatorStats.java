package dev.llmworker.sim;

import dev.llmworker.task.Endpoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the simulator saw, live. Written by the simulator's event loop and read by tests and the bench from
 * other threads, hence synchronized (the lock is uncontended almost always).
 */
public final class SimulatorStats {
  static final int DUPLICATE_SAMPLE_SIZE = 20;
  /** Slots of the counts kept per endpoint. */
  private static final int REQUESTS = 0;
  private static final int OK = 1;
  private static final int PROMPT = 2;
  private static final int COMPLETION = 3;

  private long requests;
  private long ok;
  private long promptTokens;
  private long completionTokens;
  private int inFlight;
  private int maxConcurrent;
  private final Map<Integer, Long> statusCounts = new TreeMap<>();
  private final Map<String, Integer> callsById = new HashMap<>();
  private final Map<String, Integer> oksById = new HashMap<>();
  private int duplicateIds;
  private long truncated;
  private final List<String> duplicateSample = new ArrayList<>();
  private final Map<Endpoint, long[]> byEndpoint = new EnumMap<>(Endpoint.class);

  /** A request arrived; returns how many requests (this one included) carried {@code id}. */
  synchronized int received(String id, Endpoint endpoint) {
    requests++;
    counts(endpoint)[REQUESTS]++;
    inFlight++;
    maxConcurrent = Math.max(maxConcurrent, inFlight);
    return callsById.merge(id, 1, Integer::sum);
  }

  private long[] counts(Endpoint endpoint) {
    return byEndpoint.computeIfAbsent(endpoint, e -> new long[4]);
  }

  /** A request got its answer, or its client left. */
  synchronized void finished() {
    inFlight--;
  }

  synchronized void answered(int status) {
    statusCounts.merge(status, 1L, Long::sum);
  }

  /** A 200 with a cut-off body: counted under 200, never as a served completion. */
  synchronized void truncated() {
    answered(200);
    truncated++;
  }

  public synchronized long truncatedCount() {
    return truncated;
  }

  synchronized void succeeded(String id, Endpoint endpoint, int prompt, int completion) {
    answered(200);
    ok++;
    promptTokens += prompt;
    completionTokens += completion;
    long[] counts = counts(endpoint);
    counts[OK]++;
    counts[PROMPT] += prompt;
    counts[COMPLETION] += completion;
    if (oksById.merge(id, 1, Integer::sum) == 2) {
      duplicateIds++;
      if (duplicateSample.size() < DUPLICATE_SAMPLE_SIZE) {
        duplicateSample.add(id);
      }
    }
  }

  /** Zeroes every count. In-flight requests are still in flight, so the gauge stays and the peak restarts from it. */
  public synchronized void reset() {
    requests = 0;
    ok = 0;
    promptTokens = 0;
    completionTokens = 0;
    maxConcurrent = inFlight;
    statusCounts.clear();
    callsById.clear();
    oksById.clear();
    duplicateIds = 0;
    truncated = 0;
    duplicateSample.clear();
    byEndpoint.clear();
  }

  public synchronized long requests() {
    return requests;
  }

  public synchronized long okCount() {
    return ok;
  }

  public synchronized int inFlight() {
    return inFlight;
  }

  public synchronized int maxConcurrent() {
    return maxConcurrent;
  }

  /** Ids that got at least one 200. */
  public synchronized int distinctIds() {
    return oksById.size();
  }

  /** Ids that got more than one 200: work the client paid for twice. */
  public synchronized int duplicateIds() {
    return duplicateIds;
  }

  public synchronized List<String> duplicateIdSample() {
    return List.copyOf(duplicateSample);
  }

  /** Requests received with this id, whatever their answer. */
  public synchronized int countFor(String id) {
    return callsById.getOrDefault(id, 0);
  }

  /** 200s sent for this id. */
  public synchronized int okCountFor(String id) {
    return oksById.getOrDefault(id, 0);
  }

  public synchronized long statusCount(int status) {
    return statusCounts.getOrDefault(status, 0L);
  }

  public synchronized long promptTokens() {
    return promptTokens;
  }

  public synchronized long completionTokens() {
    return completionTokens;
  }

  /** Requests received for this endpoint (Anthropic Messages and Bedrock Converse count as chat). */
  public synchronized long requestsFor(Endpoint endpoint) {
    return byEndpoint.getOrDefault(endpoint, new long[4])[REQUESTS];
  }

  /** 200s with a whole answer sent for this endpoint. */
  public synchronized long okCountFor(Endpoint endpoint) {
    return byEndpoint.getOrDefault(endpoint, new long[4])[OK];
  }

  public synchronized JsonObject toJson() {
    JsonObject statuses = new JsonObject();
    statusCounts.forEach((status, count) -> statuses.put(String.valueOf(status), count));
    return new JsonObject()
        .put("requests", requests)
        .put("ok", ok)
        .put("status_counts", statuses)
        .put("in_flight", inFlight)
        .put("max_concurrent", maxConcurrent)
        .put("distinct_ids", oksById.size())
        .put("duplicate_ids", duplicateIds)
        .put("duplicate_id_sample", new JsonArray(new ArrayList<>(duplicateSample)))
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("truncated", truncated)
        .put("by_endpoint", byEndpointJson());
  }

  /** {@code {"embeddings":{"requests","ok","prompt_tokens","completion_tokens"}, ...}}, the endpoints seen only. */
  private JsonObject byEndpointJson() {
    JsonObject json = new JsonObject();
    byEndpoint.forEach((endpoint, counts) -> json.put(endpoint.label, new JsonObject()
        .put("requests", counts[REQUESTS])
        .put("ok", counts[OK])
        .put("prompt_tokens", counts[PROMPT])
        .put("completion_tokens", counts[COMPLETION])));
    return json;
  }
}
