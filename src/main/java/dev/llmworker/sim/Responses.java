package dev.llmworker.sim;

import dev.llmworker.task.Endpoint;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI's Responses API, {@code POST /v1/responses} (Azure's at {@code /openai/v1/responses}). Reads a string
 * input or input items (messages whose content is a string or text parts), and {@code instructions}; answers one
 * assistant message quoting the last user text. {@code max_output_tokens} (16 or more, as OpenAI requires) cuts a
 * longer answer, and the response is then "incomplete" for "max_output_tokens".
 */
final class Responses implements Operation<Responses.Request> {
  static final int MIN_OUTPUT_TOKENS = 16;

  /**
   * A parsed request.
   *
   * @param maxOutputTokens as asked for, or null
   */
  record Request(ChatRequest chat, ChatRequest.Output output, Long maxOutputTokens, String instructions,
      JsonObject echo) implements SimRequest {
    @Override
    public String model() {
      return chat.model();
    }

    @Override
    public int promptTokens() {
      return chat.promptTokens();
    }

    @Override
    public int completionTokens() {
      return output.tokens();
    }

    @Override
    public long budgetTokens() {
      return chat.budgetTokens();
    }

    @Override
    public Directives directives() {
      return chat.directives();
    }
  }

  @Override
  public Endpoint endpoint() {
    return Endpoint.RESPONSES;
  }

  @Override
  public Request parse(Buffer body, String routeModel) {
    JsonObject json = ChatRequest.object(body, "We could not parse the JSON body of your request. The body should "
        + "be a JSON object with 'model' and 'input'.");
    String model = routeModel != null ? routeModel : OpenAiEmbeddings.model(json);
    if (json.getValue("stream") != null && !Boolean.FALSE.equals(json.getValue("stream"))) {
      throw new IllegalArgumentException("The simulator answers whole responses only; send stream=false or leave it "
          + "out.");
    }
    ChatRequest.Tally tally = new ChatRequest.Tally();
    Object instructions = json.getValue("instructions");
    if (instructions != null && !(instructions instanceof String)) {
      throw new IllegalArgumentException("Invalid type for 'instructions': expected a string, but got "
          + instructions + " instead.");
    }
    if (instructions != null) {
      tally.add("system", (String) instructions);
    }
    input(json.getValue("input"), tally);
    Long maxOutputTokens = maxOutputTokens(json.getValue("max_output_tokens"));
    ChatRequest chat = tally.request(model, maxOutputTokens != null ? maxOutputTokens
        : ChatRequest.DEFAULT_MAX_TOKENS);
    ChatRequest.Output output = ChatRequest.Output.of(chat.answer(),
        maxOutputTokens != null ? maxOutputTokens : Long.MAX_VALUE);
    JsonObject echo = new JsonObject()
        .put("temperature", json.getValue("temperature", 1.0))
        .put("top_p", json.getValue("top_p", 1.0))
        .put("metadata", json.getValue("metadata", new JsonObject()));
    return new Request(chat, output, maxOutputTokens, (String) instructions, echo);
  }

  /** A string, or input items: messages ({@code role} and {@code content}) and others, whose text is not read. */
  private static void input(Object input, ChatRequest.Tally tally) {
    if (input instanceof String text) {
      tally.add("user", text);
      return;
    }
    if (!(input instanceof JsonArray items)) {
      throw new IllegalArgumentException(input == null ? "Missing required parameter: 'input'."
          : "Invalid type for 'input': expected a string or an array of input items, but got " + input + " instead.");
    }
    for (int i = 0; i < items.size(); i++) {
      if (!(items.getValue(i) instanceof JsonObject item)) {
        throw new IllegalArgumentException("Invalid type for 'input[" + i + "]': expected an object, but got "
            + items.getValue(i) + " instead.");
      }
      if (item.getValue("role") instanceof String role) {
        tally.add(role, content(item.getValue("content"), i));
      }
    }
  }

  /** A string, or content parts of which the text ones ({@code input_text}, {@code output_text}) count. */
  private static String content(Object content, int item) {
    if (content instanceof String text) {
      return text;
    }
    if (!(content instanceof JsonArray parts)) {
      throw new IllegalArgumentException("Invalid type for 'input[" + item + "].content': expected a string or an "
          + "array of content parts.");
    }
    StringBuilder text = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof JsonObject object && object.getValue("text") instanceof String piece) {
        text.append(piece);
      }
    }
    return text.toString();
  }

  private static Long maxOutputTokens(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new IllegalArgumentException("Invalid type for 'max_output_tokens': expected an integer, but got "
          + value + " instead.");
    }
    long max = ((Number) value).longValue();
    if (max < MIN_OUTPUT_TOKENS) {
      throw new IllegalArgumentException("Invalid 'max_output_tokens': integer below minimum value. Expected a "
          + "value >= " + MIN_OUTPUT_TOKENS + ", but got " + max + " instead.");
    }
    return max;
  }

  @Override
  public JsonObject answer(Request request, String tag, long latencyMs) {
    ChatRequest.Output output = request.output();
    String status = output.cut() ? "incomplete" : "completed";
    JsonObject message = new JsonObject()
        .put("type", "message")
        .put("id", "msg_sim_" + tag)
        .put("status", status)
        .put("role", "assistant")
        .put("content", new JsonArray().add(new JsonObject()
            .put("type", "output_text")
            .put("text", output.text())
            .put("annotations", new JsonArray())));
    JsonObject usage = new JsonObject()
        .put("input_tokens", request.promptTokens())
        .put("input_tokens_details", new JsonObject().put("cached_tokens", 0))
        .put("output_tokens", output.tokens())
        .put("output_tokens_details", new JsonObject().put("reasoning_tokens", 0))
        .put("total_tokens", request.promptTokens() + output.tokens());
    return new JsonObject()
        .put("id", "resp_sim_" + tag)
        .put("object", "response")
        .put("created_at", System.currentTimeMillis() / 1000)
        .put("status", status)
        .putNull("error")
        .put("incomplete_details", output.cut() ? new JsonObject().put("reason", "max_output_tokens") : null)
        .put("instructions", request.instructions())
        .put("max_output_tokens", request.maxOutputTokens())
        .put("model", request.model())
        .put("output", new JsonArray().add(message))
        .put("parallel_tool_calls", true)
        .putNull("previous_response_id")
        .put("temperature", request.echo().getValue("temperature"))
        .put("tool_choice", "auto")
        .put("tools", new JsonArray())
        .put("top_p", request.echo().getValue("top_p"))
        .put("truncation", "disabled")
        .put("usage", usage)
        .put("metadata", request.echo().getValue("metadata"));
  }
}
