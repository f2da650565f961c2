package dev.llmworker.sim;

import dev.llmworker.task.Endpoint;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's {@code POST /v1/embeddings} (and Azure's on a deployment): deterministic vectors from {@link Embeddings},
 * as floats or base64, with OpenAI's limits: at most {@value #MAX_INPUTS} inputs, {@value #MAX_INPUT_TOKENS} tokens
 * an input, {@value #MAX_REQUEST_TOKENS} tokens a request, and {@code dimensions} from 1 to the model's full length
 * (not at all for text-embedding-ada-002).
 */
final class OpenAiEmbeddings implements Operation<OpenAiEmbeddings.Request> {
  static final int MAX_INPUTS = 2048;
  static final int MAX_INPUT_TOKENS = 8192;
  static final int MAX_REQUEST_TOKENS = 300_000;

  /** A parsed request; vectors are computed only when answering. */
  record Request(String model, List<TextInput> inputs, int dimensions, boolean base64, int promptTokens,
      Directives directives) implements SimRequest.InputOnly {}

  @Override
  public Endpoint endpoint() {
    return Endpoint.EMBEDDINGS;
  }

  @Override
  public Request parse(Buffer body, String routeModel) {
    JsonObject json = ChatRequest.object(body, "We could not parse the JSON body of your request. The body should "
        + "be a JSON object with 'model' and 'input'.");
    String model = routeModel != null ? routeModel : model(json);
    List<TextInput> inputs = TextInput.parse(json.getValue("input"), "input", false);
    if (inputs.size() > MAX_INPUTS) {
      throw TextInput.invalid("input");
    }
    long tokens = 0;
    Directives directives = Directives.NONE;
    for (TextInput input : inputs) {
      int count = input.tokenCount();
      if (count > MAX_INPUT_TOKENS) {
        throw new IllegalArgumentException("This model's maximum context length is " + MAX_INPUT_TOKENS + " tokens, "
            + "however you requested " + count + " tokens (" + count + " in your prompt; 0 for the completion). "
            + "Please reduce your prompt; or completion length.");
      }
      tokens += count;
      directives = directives.parse(input.textOrEmpty());
    }
    if (tokens > MAX_REQUEST_TOKENS) {
      throw new IllegalArgumentException("Requested " + tokens + " tokens, max " + MAX_REQUEST_TOKENS
          + " tokens per request");
    }
    return new Request(model, inputs, dimensions(json, model), base64(json), (int) tokens, directives);
  }

  static String model(JsonObject json) {
    if (!(json.getValue("model") instanceof String model) || model.isBlank()) {
      throw new IllegalArgumentException("you must provide a model parameter");
    }
    return model;
  }

  private static int dimensions(JsonObject json, String model) {
    Object value = json.getValue("dimensions");
    int full = Embeddings.defaultDimensions(model);
    if (value == null) {
      return full;
    }
    if (model.contains("ada-002")) {
      throw new IllegalArgumentException("This model does not support specifying dimensions.");
    }
    if (!(value instanceof Integer dimensions)) {
      throw new IllegalArgumentException("Invalid type for 'dimensions': expected an integer, but got " + value
          + " instead.");
    }
    if (dimensions < 1) {
      throw new IllegalArgumentException("Invalid 'dimensions': integer below minimum value. Expected a value >= 1, "
          + "but got " + dimensions + " instead.");
    }
    if (dimensions > full) {
      throw new IllegalArgumentException("Invalid 'dimensions': integer above maximum value. Expected a value <= "
          + full + " for " + model + ", but got " + dimensions + " instead.");
    }
    return dimensions;
  }

  private static boolean base64(JsonObject json) {
    Object format = json.getValue("encoding_format", "float");
    if (!"float".equals(format) && !"base64".equals(format)) {
      throw new IllegalArgumentException("Invalid value: '" + format + "'. Supported values are: 'float' and "
          + "'base64'.");
    }
    return "base64".equals(format);
  }

  @Override
  public JsonObject answer(Request request, String tag, long latencyMs) {
    JsonArray data = new JsonArray();
    for (int i = 0; i < request.inputs().size(); i++) {
      TextInput input = request.inputs().get(i);
      float[] vector = input.text() != null ? Embeddings.vector(request.model(), input.text(), request.dimensions())
          : Embeddings.vector(request.model(), input.tokens(), request.dimensions());
      data.add(new JsonObject()
          .put("object", "embedding")
          .put("index", i)
          .put("embedding", request.base64() ? Embeddings.base64(vector) : floats(vector)));
    }
    return new JsonObject()
        .put("object", "list")
        .put("data", data)
        .put("model", request.model())
        .put("usage", new JsonObject()
            .put("prompt_tokens", request.promptTokens())
            .put("total_tokens", request.promptTokens()));
  }

  /** The vector as a JSON array of float32 values (written as floats, so they read back exactly). */
  static JsonArray floats(float[] vector) {
    JsonArray array = new JsonArray(new ArrayList<>(vector.length));
    for (float value : vector) {
      array.add(value);
    }
    return array;
  }
}
