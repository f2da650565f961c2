package dev.llmworker.task;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Makes a result line fit into one SQS message: the longest texts of {@code response.body} (and of
 * {@code llmw.raw}) are cut until the line fits, and {@code llmw} says so ({@code truncated}, {@code full_bytes},
 * {@code full_result}: where the whole line was kept). The line stays valid JSON in the Batch API output shape.
 * An embeddings list is never cut inside: half a vector (or half its base64) would read as a different vector, so
 * the line keeps the list's envelope (model, usage) with an empty {@code data}, and the vectors are in the file.
 */
public final class ResultTrimmer {
  static final String MARK = "…[truncated by llm-worker]";
  /** Room for the llmw fields added here and the cut marks. */
  private static final int MARGIN = 2048;
  private static final int MAX_CUTS = 200;

  private ResultTrimmer() {}

  /** The UTF-8 size of {@code line}; cheap (no scan) when it is certainly below {@code limit}. */
  public static boolean fits(String line, int limit) {
    return line.length() * 3L <= limit || bytes(line) <= limit;
  }

  public static int bytes(String line) {
    return line.getBytes(StandardCharsets.UTF_8).length;
  }

  /** A line of at most {@code limit} bytes; {@code keptAt} names where the full line is ({@code host:path}). */
  public static String trim(String line, int limit, String keptAt) {
    JsonObject result = new JsonObject(line);
    JsonObject llmw = result.getJsonObject("llmw", new JsonObject());
    result.put("llmw", llmw.put("truncated", true).put("full_bytes", bytes(line)).put("full_result", keptAt));
    int target = Math.max(0, limit - MARGIN);
    JsonObject answer = result.getJsonObject("response") == null ? null
        : result.getJsonObject("response").getValue("body") instanceof JsonObject b ? b : null;
    boolean vectors = answer != null && answer.getValue("data") instanceof JsonArray;
    for (int cut = 0; cut < MAX_CUTS && !vectors; cut++) {
      int excess = bytes(result.encode()) - target;
      if (excess <= 0) {
        return result.encode();
      }
      Longest longest = new Longest();
      JsonObject response = result.getJsonObject("response");
      longest.visit(response == null ? null : response.getValue("body"));
      longest.visit(llmw.getValue("raw"));
      if (longest.text == null || longest.text.length() <= MARK.length()) {
        break;
      }
      longest.replace(shorten(longest.text, excess));
    }
    return lastResort(result, limit);
  }

  /**
   * Drops about {@code excess} bytes, at the text's average bytes per character (the loop above cuts again if the
   * cut part was lighter than average), keeping whole code points.
   */
  private static String shorten(String text, int excess) {
    double bytesPerChar = Math.max(1.0, (double) bytes(text) / text.length());
    int drop = (int) Math.ceil(excess / bytesPerChar) + MARK.length();
    int keep = Math.max(0, text.length() - drop);
    if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    return text.substring(0, keep) + MARK;
  }

  /**
   * Thousands of small texts, or vectors: keep only the envelope (ids, status, usage) with its list of answers
   * ({@code choices}, {@code data}, {@code output} or {@code results}, by endpoint) empty, and say the body was cut.
   */
  private static String lastResort(JsonObject result, int limit) {
    JsonObject response = result.getJsonObject("response");
    if (response != null && response.getValue("body") instanceof JsonObject body) {
      JsonObject kept = new JsonObject();
      for (String key : new String[] {"id", "object", "created", "created_at", "status", "model", "usage"}) {
        if (body.containsKey(key)) {
          kept.put(key, body.getValue(key));
        }
      }
      String list = "choices";
      for (String key : new String[] {"data", "output", "results"}) {
        if (body.getValue(key) instanceof JsonArray) {
          list = key;
        }
      }
      response.put("body", kept.put(list, new JsonArray()));
    }
    result.getJsonObject("llmw").remove("raw");
    String line = result.encode();
    if (bytes(line) > limit) {
      throw new IllegalArgumentException("a result line cannot be cut below " + limit + " bytes");
    }
    return line;
  }

  /** Finds the longest string value in a JSON tree, and where it is. */
  private static final class Longest {
    String text;
    private JsonObject inObject;
    private String key;
    private JsonArray inArray;
    private int index;

    void visit(Object node) {
      if (node instanceof JsonObject object) {
        for (String k : object.fieldNames()) {
          Object value = object.getValue(k);
          if (value instanceof String s) {
            consider(s, object, k, null, 0);
          } else {
            visit(value);
          }
        }
      } else if (node instanceof JsonArray array) {
        for (int i = 0; i < array.size(); i++) {
          Object value = array.getValue(i);
          if (value instanceof String s) {
            consider(s, null, null, array, i);
          } else {
            visit(value);
          }
        }
      }
    }

    private void consider(String s, JsonObject object, String k, JsonArray array, int i) {
      if (text == null || s.length() > text.length()) {
        text = s;
        inObject = object;
        key = k;
        inArray = array;
        index = i;
      }
    }

    void replace(String value) {
      if (inObject != null) {
        inObject.put(key, value);
      } else {
        inArray.set(index, value);
      }
    }
  }
}
