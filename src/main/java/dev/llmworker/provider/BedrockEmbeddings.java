package dev.llmworker.provider;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * OpenAI embeddings requests on Bedrock's {@code InvokeModel}, and the answers back in OpenAI's shape
 * ({@code data[].embedding}, {@code usage.prompt_tokens}):
 * <ul>
 *   <li>Amazon Titan Text Embeddings ({@code amazon.titan-embed-text-*}): one input per call; {@code dimensions}
 *       256, 512 or 1024 (v2); always normalised, like OpenAI's vectors.</li>
 *   <li>Cohere Embed ({@code cohere.embed-*}): up to 96 inputs per call; {@code input_type} (Cohere's own field,
 *       default {@code search_document}) passed on; {@code dimensions} as {@code output_dimension} on v4, refused
 *       on v3 (fixed size).</li>
 * </ul>
 * {@code encoding_format: "base64"} is honoured by encoding the floats the way OpenAI does (little-endian float32).
 * Token-id inputs are refused: Bedrock takes text.
 */
final class BedrockEmbeddings {
  static final String INPUT_TOKENS_HEADER = "X-Amzn-Bedrock-Input-Token-Count";
  private static final Set<Integer> TITAN_DIMENSIONS = Set.of(256, 512, 1024);
  private static final int COHERE_MAX_TEXTS = 96;

  private BedrockEmbeddings() {}

  static boolean isTitan(String model) {
    return model.contains("titan-embed");
  }

  static boolean isCohere(String model) {
    return model.contains("cohere.embed");
  }

  /** The InvokeModel body for an OpenAI embeddings body; {@link IllegalArgumentException} when it cannot be sent. */
  static JsonObject request(JsonObject body, String model) {
    List<String> texts = texts(body.getValue("input"));
    Object dimensions = body.getValue("dimensions");
    if (isTitan(model)) {
      if (texts.size() != 1) {
        throw new IllegalArgumentException("Amazon Titan embeds one input per call; this task has " + texts.size()
            + " (send one input per task, or use a Cohere Embed model for up to " + COHERE_MAX_TEXTS + ")");
      }
      JsonObject request = new JsonObject().put("inputText", texts.get(0));
      if (model.contains("v2")) {
        request.put("normalize", true);
        if (dimensions != null) {
          if (!(dimensions instanceof Integer d) || !TITAN_DIMENSIONS.contains(d)) {
            throw new IllegalArgumentException("\"dimensions\" must be 256, 512 or 1024 for " + model + ", got "
                + dimensions);
          }
          request.put("dimensions", dimensions);
        }
      } else if (dimensions != null) {
        throw new IllegalArgumentException("\"dimensions\" is not supported by " + model);
      }
      return request;
    }
    if (isCohere(model)) {
      if (texts.size() > COHERE_MAX_TEXTS) {
        throw new IllegalArgumentException("Cohere Embed takes at most " + COHERE_MAX_TEXTS + " inputs per call; "
            + "this task has " + texts.size());
      }
      JsonObject request = new JsonObject().put("texts", new JsonArray(new ArrayList<>(texts)))
          .put("input_type", body.getValue("input_type") instanceof String t ? t : "search_document")
          .put("embedding_types", new JsonArray().add("float"));
      if (dimensions != null) {
        if (!model.contains("v4")) {
          throw new IllegalArgumentException("\"dimensions\" is not supported by " + model + " (its vectors have a "
              + "fixed size)");
        }
        request.put("output_dimension", dimensions);
      }
      return request;
    }
    throw new IllegalArgumentException("model " + model + " is not an embedding model llm-worker can call on "
        + "Bedrock (Amazon Titan Text Embeddings or Cohere Embed)");
  }

  private static List<String> texts(Object input) {
    List<String> texts = new ArrayList<>();
    if (input instanceof String s) {
      texts.add(s);
    } else if (input instanceof JsonArray array) {
      for (Object item : array) {
        if (!(item instanceof String s)) {
          throw new IllegalArgumentException("Bedrock embeds text: \"input\" must be a string or an array of "
              + "strings, not token ids");
        }
        texts.add(s);
      }
    }
    return texts;
  }

  /** The input tokens Bedrock counted: Titan's body says so, Cohere's only the response header. */
  static long inputTokens(JsonObject raw, MultiMap headers) {
    Object count = raw.getValue("inputTextTokenCount");
    if (count instanceof Number n) {
      return n.longValue();
    }
    String header = headers == null ? null : headers.get(INPUT_TOKENS_HEADER);
    try {
      return header == null ? 0 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** An OpenAI embeddings list for Bedrock's answer. */
  static JsonObject response(JsonObject raw, JsonObject request, String model, long inputTokens) {
    boolean base64 = "base64".equals(request.getString("encoding_format"));
    JsonArray data = new JsonArray();
    List<JsonArray> vectors = vectors(raw);
    for (int i = 0; i < vectors.size(); i++) {
      data.add(new JsonObject().put("object", "embedding").put("index", i)
          .put("embedding", base64 ? base64(vectors.get(i)) : vectors.get(i)));
    }
    return new JsonObject().put("object", "list").put("data", data).put("model", model)
        .put("usage", new JsonObject().put("prompt_tokens", inputTokens).put("total_tokens", inputTokens));
  }

  private static List<JsonArray> vectors(JsonObject raw) {
    if (raw.getValue("embedding") instanceof JsonArray one) { // Titan
      return List.of(one);
    }
    Object embeddings = raw.getValue("embeddings"); // Cohere: [[...]] or {"float": [[...]]}
    JsonArray list = embeddings instanceof JsonObject byType ? byType.getJsonArray("float", new JsonArray())
        : embeddings instanceof JsonArray array ? array : new JsonArray();
    List<JsonArray> out = new ArrayList<>();
    list.forEach(v -> out.add((JsonArray) v));
    return out;
  }

  /** The vector as OpenAI sends it with {@code encoding_format: "base64"}: little-endian float32, base64. */
  static String base64(JsonArray vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (Object v : vector) {
      bytes.putFloat(((Number) v).floatValue());
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
