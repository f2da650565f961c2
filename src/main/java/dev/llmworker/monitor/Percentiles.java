package dev.llmworker.monitor;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Latency histograms in milliseconds (up to an hour, 2 significant digits) and their wire form: nodes send them
 * compressed so the monitor can merge them into true cluster-wide percentiles, not averages of percentiles.
 */
final class Percentiles {
  static final long MAX_MS = 3_600_000L;

  private Percentiles() {}

  static Histogram histogram() {
    return new ConcurrentHistogram(MAX_MS, 2);
  }

  static void record(Histogram h, long millis) {
    h.recordValue(Math.max(0, Math.min(millis, MAX_MS)));
  }

  static JsonObject json(Histogram h) {
    Histogram copy = h.copy();
    return new JsonObject()
        .put("count", copy.getTotalCount())
        .put("p50", copy.getValueAtPercentile(50))
        .put("p95", copy.getValueAtPercentile(95))
        .put("p99", copy.getValueAtPercentile(99));
  }

  static String encode(Histogram h) {
    Histogram copy = h.copy();
    ByteBuffer buffer = ByteBuffer.allocate(copy.getNeededByteBufferCapacity());
    int length = copy.encodeIntoCompressedByteBuffer(buffer);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
  }

  /** Adds an encoded histogram to {@code into}; a malformed one is ignored (it only costs a figure). */
  static void mergeEncoded(Histogram into, String encoded) {
    if (encoded == null) {
      return;
    }
    try {
      into.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(encoded)), 0));
    } catch (DataFormatException | IllegalArgumentException e) {
      // a node of another version or a corrupted message: skip its figures
    }
  }
}
