package dev.llmworker.sim;

import dev.llmworker.task.Endpoint;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * OpenAI's legacy {@code POST /v1/completions} (and Azure's on a deployment). Each prompt (a string or token ids, or
 * an array of them) gets {@code n} choices of the usual simulated answer; {@code max_tokens} (default 16, as
 * OpenAI's) cuts a longer answer, which then finishes with "length".
 */
final class TextCompletions implements Operation<TextCompletions.Request> {
  static final int MAX_PROMPTS = 2048;
  static final int MAX_N = 128;

  /**
   * A parsed request.
   *
   * @param outputs one generated text per prompt, repeated {@code n} times in the answer
   */
  record Request(String model, int promptTokens, List<ChatRequest.Output> outputs, int n, long maxTokens,
      Directives directives) implements SimRequest {
    @Override
    public int completionTokens() {
      return n * outputs.stream().mapToInt(ChatRequest.Output::tokens).sum();
    }

    @Override
    public long budgetTokens() {
      return promptTokens + maxTokens * n * outputs.size();
    }
  }

  @Override
  public Endpoint endpoint() {
    return Endpoint.COMPLETIONS;
  }

  @Override
  public Request parse(Buffer body, String routeModel) {
    JsonObject json = ChatRequest.object(body, "We could not parse the JSON body of your request. The body should "
        + "be a JSON object with 'model' and 'prompt'.");
    String model = routeModel != null ? routeModel : OpenAiEmbeddings.model(json);
    List<TextInput> prompts = TextInput.parse(json.getValue("prompt"), "prompt", true);
    if (prompts.size() > MAX_PROMPTS) {
      throw TextInput.invalid("prompt");
    }
    if (json.getValue("stream") != null && !Boolean.FALSE.equals(json.getValue("stream"))) {
      throw new IllegalArgumentException("The simulator answers whole completions only; send stream=false or leave "
          + "it out.");
    }
    long maxTokens = integer(json, "max_tokens", ChatRequest.DEFAULT_MAX_TOKENS, Integer.MAX_VALUE);
    int n = (int) integer(json, "n", 1, MAX_N);
    Directives directives = Directives.NONE;
    int promptTokens = 0;
    for (TextInput prompt : prompts) {
      directives = directives.parse(prompt.textOrEmpty());
      promptTokens += prompt.tokenCount();
    }
    Directives found = directives;
    List<ChatRequest.Output> outputs = prompts.stream()
        .map(prompt -> ChatRequest.Output.of(ChatRequest.answerTo(prompt.textOrEmpty(), found), maxTokens))
        .toList();
    return new Request(model, promptTokens, outputs, n, maxTokens, directives);
  }

  /** An optional integer field between 1 and {@code max}, in OpenAI's words when it is not. */
  static long integer(JsonObject json, String field, long absent, long max) {
    Object value = json.getValue(field);
    if (value == null) {
      return absent;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new IllegalArgumentException("Invalid type for '" + field + "': expected an integer, but got " + value
          + " instead.");
    }
    long number = ((Number) value).longValue();
    if (number < 1) {
      throw new IllegalArgumentException("Invalid '" + field + "': integer below minimum value. Expected a value "
          + ">= 1, but got " + number + " instead.");
    }
    if (number > max) {
      throw new IllegalArgumentException("Invalid '" + field + "': integer above maximum value. Expected a value "
          + "<= " + max + ", but got " + number + " instead.");
    }
    return number;
  }

  @Override
  public JsonObject answer(Request request, String tag, long latencyMs) {
    JsonArray choices = new JsonArray();
    for (ChatRequest.Output output : request.outputs()) {
      for (int k = 0; k < request.n(); k++) {
        choices.add(new JsonObject()
            .put("text", output.text())
            .put("index", choices.size())
            .putNull("logprobs")
            .put("finish_reason", output.cut() ? "length" : "stop"));
      }
    }
    return new JsonObject()
        .put("id", "cmpl-" + tag)
        .put("object", "text_completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", request.model())
        .put("choices", choices)
        .put("usage", new JsonObject()
            .put("prompt_tokens", request.promptTokens())
            .put("completion_tokens", request.completionTokens())
            .put("total_tokens", request.promptTokens() + request.completionTokens()));
  }
}
