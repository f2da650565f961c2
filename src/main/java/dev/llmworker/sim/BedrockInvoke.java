package dev.llmworker.sim;

import dev.llmworker.task.Endpoint;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Bedrock's {@code POST /model/{modelId}/invoke} for the embedding models: Amazon Titan Text Embeddings v2
 * ({@value #TITAN_V2}, one {@code inputText} a call) and Cohere Embed v3 ({@code cohere.embed-english-v3},
 * {@code cohere.embed-multilingual-v3}, up to 96 {@code texts} a call). Vectors are {@link Embeddings}' for the
 * model id; the token counts travel in Bedrock's {@code X-Amzn-Bedrock-*-Token-Count} headers. Any other model id
 * is a ValidationException, as Bedrock answers an unknown one. Bodies are checked as strictly as Bedrock's JSON
 * schema checks them, with its "Malformed input request" words.
 */
final class BedrockInvoke implements Operation<BedrockInvoke.Request> {
  static final String TITAN_V2 = "amazon.titan-embed-text-v2:0";
  static final Set<String> COHERE_V3 = Set.of("cohere.embed-english-v3", "cohere.embed-multilingual-v3");
  static final Set<Integer> TITAN_DIMENSIONS = Set.of(256, 512, 1024);
  static final int TITAN_MAX_CHARS = 50_000;
  static final int TITAN_MAX_TOKENS = 8192;
  static final int COHERE_MAX_TEXTS = 96;
  static final int COHERE_MAX_CHARS = 2048;
  static final Set<String> COHERE_INPUT_TYPES = Set.of("search_document", "search_query", "classification",
      "clustering");
  static final String INPUT_TOKENS = "X-Amzn-Bedrock-Input-Token-Count";
  static final String OUTPUT_TOKENS = "X-Amzn-Bedrock-Output-Token-Count";
  static final String LATENCY = "X-Amzn-Bedrock-Invocation-Latency";

  /**
   * A parsed request of either family.
   *
   * @param texts   what gets embedded (Cohere's after truncation)
   * @param echo    Cohere's {@code texts} as sent, which its answer repeats; null for Titan
   * @param floats  Titan: send the float vector in {@code embeddingsByType}; Cohere: answer by type
   * @param binary  Titan: send the binary vector too
   */
  record Request(String model, boolean titan, List<String> texts, JsonArray echo, int dimensions, boolean normalize,
      boolean floats, boolean binary, int promptTokens, Directives directives)
      implements SimRequest.InputOnly {}

  @Override
  public Endpoint endpoint() {
    return Endpoint.EMBEDDINGS;
  }

  @Override
  public Request parse(Buffer body, String modelId) {
    boolean titan = TITAN_V2.equals(modelId);
    if (!titan && !COHERE_V3.contains(modelId.replaceFirst(":0$", ""))) {
      throw new IllegalArgumentException("The provided model identifier is invalid.");
    }
    JsonObject json = ChatRequest.object(body, "Malformed input request, please reformat your input and try again.");
    return titan ? titan(json, modelId) : cohere(json, modelId);
  }

  private static Request titan(JsonObject json, String model) {
    onlyKeys(json, Set.of("inputText", "dimensions", "normalize", "embeddingTypes"));
    if (!(json.getValue("inputText") instanceof String text)) {
      throw json.containsKey("inputText") ? malformed("#/inputText: expected type: String")
          : malformed("#: required key [inputText] not found");
    }
    if (text.isEmpty() || text.length() > TITAN_MAX_CHARS) {
      throw malformed("#/inputText: expected " + (text.isEmpty() ? "minLength: 1" : "maxLength: " + TITAN_MAX_CHARS)
          + ", actual: " + text.length());
    }
    int tokens = ChatRequest.tokens(text.length());
    if (tokens > TITAN_MAX_TOKENS) {
      throw new IllegalArgumentException("400 Bad Request: Too many input tokens. Max input tokens: "
          + TITAN_MAX_TOKENS + ", request input token count: " + tokens);
    }
    Object dimensions = json.getValue("dimensions", Embeddings.BEDROCK_DIMENSIONS);
    if (!(dimensions instanceof Integer d) || !TITAN_DIMENSIONS.contains(d)) {
      throw malformed("#/dimensions: " + dimensions + " is not a valid enum value");
    }
    if (!(json.getValue("normalize", true) instanceof Boolean normalize)) {
      throw malformed("#/normalize: expected type: Boolean");
    }
    List<String> types = types(json.getValue("embeddingTypes"), "embeddingTypes", Set.of("float", "binary"));
    boolean floats = types == null || types.contains("float");
    boolean binary = types != null && types.contains("binary");
    return new Request(model, true, List.of(text), null, (Integer) dimensions, normalize, floats, binary, tokens,
        Directives.NONE.parse(text));
  }

  private static Request cohere(JsonObject json, String model) {
    onlyKeys(json, Set.of("texts", "input_type", "truncate", "embedding_types", "images"));
    if (json.containsKey("images")) {
      throw malformed("the simulator embeds texts only; send \"texts\"");
    }
    if (!(json.getValue("texts") instanceof JsonArray texts)) {
      throw malformed(json.containsKey("texts") ? "#/texts: expected type: JSONArray"
          : "#: required key [texts] not found");
    }
    if (texts.size() > COHERE_MAX_TEXTS) {
      throw malformed("#/texts: expected maximum item count: " + COHERE_MAX_TEXTS + ", found: " + texts.size());
    }
    Object inputType = json.getValue("input_type");
    if (!(inputType instanceof String name && COHERE_INPUT_TYPES.contains(name))) {
      throw malformed(inputType == null ? "#: required key [input_type] not found"
          : "#/input_type: " + inputType + " is not a valid enum value");
    }
    Object truncate = json.getValue("truncate", "NONE");
    if (!(truncate instanceof String how && Set.of("NONE", "START", "END").contains(how))) {
      throw malformed("#/truncate: " + truncate + " is not a valid enum value");
    }
    List<String> types = types(json.getValue("embedding_types"), "embedding_types",
        Set.of("float", "int8", "uint8", "binary", "ubinary"));
    if (types != null && !types.equals(List.of("float"))) {
      throw new IllegalArgumentException("The simulator serves only float embeddings: send \"embedding_types\": "
          + "[\"float\"] or leave it out.");
    }
    List<String> kept = new ArrayList<>();
    int tokens = 0;
    Directives directives = Directives.NONE;
    for (int i = 0; i < texts.size(); i++) {
      if (!(texts.getValue(i) instanceof String text)) {
        throw malformed("#/texts/" + i + ": expected type: String");
      }
      String embedded = truncated(text, (String) truncate, i);
      kept.add(embedded);
      tokens += ChatRequest.tokens(embedded.length());
      directives = directives.parse(embedded);
    }
    return new Request(model, false, kept, texts.copy(), Embeddings.BEDROCK_DIMENSIONS, true, types != null, false,
        tokens, directives);
  }

  /** A text past Cohere's 2,048 characters is refused (truncate NONE) or cut at its START or END. */
  private static String truncated(String text, String truncate, int index) {
    if (text.length() <= COHERE_MAX_CHARS) {
      return text;
    }
    return switch (truncate) {
      case "START" -> text.substring(text.length() - COHERE_MAX_CHARS);
      case "END" -> ChatRequest.prefix(text, COHERE_MAX_CHARS);
      default -> throw malformed("#/texts/" + index + ": expected maxLength: " + COHERE_MAX_CHARS + ", actual: "
          + text.length());
    };
  }

  /** A non-empty list of distinct names from {@code allowed}, or null when absent. */
  private static List<String> types(Object value, String field, Set<String> allowed) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray list) || list.isEmpty()) {
      throw malformed("#/" + field + ": expected a non-empty list");
    }
    List<String> types = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object type = list.getValue(i);
      if (!(type instanceof String name && allowed.contains(name))) {
        throw malformed("#/" + field + "/" + i + ": " + type + " is not a valid enum value");
      }
      types.add((String) type);
    }
    return types;
  }

  private static void onlyKeys(JsonObject json, Set<String> known) {
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        throw malformed("extraneous key [" + key + "] is not permitted");
      }
    }
  }

  private static IllegalArgumentException malformed(String problem) {
    return new IllegalArgumentException("Malformed input request: " + problem + ", please reformat your input and "
        + "try again.");
  }

  @Override
  public JsonObject answer(Request request, String tag, long latencyMs) {
    return request.titan() ? titanAnswer(request) : cohereAnswer(request);
  }

  private static JsonObject titanAnswer(Request request) {
    String text = request.texts().get(0);
    float[] vector = request.normalize() ? Embeddings.vector(request.model(), text, request.dimensions())
        : Embeddings.unnormalised(request.model(), text, request.dimensions());
    JsonObject byType = new JsonObject();
    if (request.floats()) {
      byType.put("float", OpenAiEmbeddings.floats(vector));
    }
    if (request.binary()) {
      JsonArray bits = new JsonArray(new ArrayList<>(vector.length));
      for (float value : vector) {
        bits.add(value > 0 ? 1 : 0);
      }
      byType.put("binary", bits);
    }
    return new JsonObject()
        .put("embedding", OpenAiEmbeddings.floats(vector))
        .put("inputTextTokenCount", request.promptTokens())
        .put("embeddingsByType", byType);
  }

  private static JsonObject cohereAnswer(Request request) {
    JsonArray vectors = new JsonArray();
    for (String text : request.texts()) {
      vectors.add(OpenAiEmbeddings.floats(Embeddings.vector(request.model(), text, request.dimensions())));
    }
    boolean byType = request.floats();
    return new JsonObject()
        .put("id", UUID.randomUUID().toString())
        .put("texts", request.echo())
        .put("embeddings", byType ? new JsonObject().put("float", vectors) : vectors)
        .put("response_type", byType ? "embeddings_by_type" : "embeddings_floats");
  }

  @Override
  public void putSuccessHeaders(Request request, long latencyMs, MultiMap headers) {
    headers.set(INPUT_TOKENS, String.valueOf(request.promptTokens()))
        .set(OUTPUT_TOKENS, "0")
        .set(LATENCY, String.valueOf(latencyMs));
  }
}
