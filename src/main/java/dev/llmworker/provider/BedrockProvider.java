package dev.llmworker.provider;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.sqs.AwsIdentity;
import dev.llmworker.task.Endpoint;
import dev.llmworker.task.ResultLine.Usage;
import dev.llmworker.task.Task;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * AWS Bedrock: chat and Responses tasks on the Converse API ({@code POST /model/{modelId}/converse}), embeddings
 * on {@code InvokeModel} ({@code POST /model/{modelId}/invoke}, see {@link BedrockEmbeddings}), signed with SigV4 by the AWS SDK's signer
 * using the default credentials chain: the same identity as SQS. The region comes from {@code provider.region}
 * (else {@code sqs.region}).
 */
public final class BedrockProvider extends HttpProvider {
  private final Vertx vertx;
  private final AwsCredentialsProvider credentials;
  private final SigV4 signer;

  public BedrockProvider(Vertx vertx, LlmwConfig.Provider config, int defaultConnections) {
    this(vertx, config, defaultConnections, AwsIdentity.forEndpoint(config.baseUrl()));
  }

  public BedrockProvider(Vertx vertx, LlmwConfig.Provider config, int defaultConnections,
      AwsCredentialsProvider credentials) {
    super(vertx, config, defaultConnections);
    this.vertx = vertx;
    this.credentials = credentials;
    this.signer = new SigV4("bedrock", config.region());
  }

  @Override
  String url(String model, Endpoint endpoint) {
    return config.baseUrl() + "/model/" + pathSegment(model) + (endpoint == Endpoint.EMBEDDINGS ? "/invoke"
        : "/converse");
  }

  @Override
  void staticHeaders(HttpRequest<Buffer> template) {
    template.putHeader("Accept", "application/json");
  }

  /** Credentials may need a file read or a metadata call, so they are resolved off the event loop. */
  @Override
  Future<HttpRequest<Buffer>> prepare(HttpRequest<Buffer> request, String url, Buffer body) {
    return vertx.executeBlocking(credentials::resolveCredentials, false)
        .map(identity -> signer.sign(request, url, identity, body));
  }

  @Override
  JsonObject requestBody(Task task, String model) {
    if (task.endpoint() == Endpoint.EMBEDDINGS) {
      return BedrockEmbeddings.request(task.body(), model);
    }
    ChatBody chat = ChatBody.read(task);
    JsonArray messages = new JsonArray();
    chat.turns().forEach(t -> messages.add(new JsonObject().put("role", t.role())
        .put("content", new JsonArray().add(new JsonObject().put("text", t.text())))));
    JsonObject body = new JsonObject().put("messages", messages);
    if (!chat.system().isEmpty()) {
      body.put("system", new JsonArray().add(new JsonObject().put("text", chat.system())));
    }
    JsonObject inference = new JsonObject();
    if (chat.maxTokens() != null) {
      inference.put("maxTokens", chat.maxTokens());
    }
    if (chat.temperature() != null) {
      inference.put("temperature", chat.temperature());
    }
    if (chat.topP() != null) {
      inference.put("topP", chat.topP());
    }
    if (!chat.stop().isEmpty()) {
      inference.put("stopSequences", new JsonArray(chat.stop()));
    }
    if (!inference.isEmpty()) {
      body.put("inferenceConfig", inference);
    }
    return body;
  }

  @Override
  JsonObject toOpenAi(JsonObject raw, Task task, String model, String requestId, Usage usage) {
    if (task.endpoint() == Endpoint.EMBEDDINGS) {
      return BedrockEmbeddings.response(raw, task.body(), model, usage.promptTokens());
    }
    StringBuilder text = new StringBuilder();
    JsonObject message = raw.getJsonObject("output", new JsonObject()).getJsonObject("message", new JsonObject());
    for (Object block : message.getJsonArray("content", new JsonArray())) {
      if (block instanceof JsonObject b && b.getValue("text") instanceof String piece) {
        text.append(piece);
      }
    }
    return ChatBody.answer(task.endpoint(), "bedrock-" + requestId, model, text.toString(),
        ChatBody.finishReason(raw.getString("stopReason")), usage.promptTokens(), usage.completionTokens());
  }

  @Override
  Usage usage(JsonObject raw, MultiMap headers) {
    if (!raw.containsKey("output")) { // InvokeModel of an embedding model
      return new Usage(BedrockEmbeddings.inputTokens(raw, headers), 0);
    }
    JsonObject usage = raw.getJsonObject("usage");
    return usage == null ? Usage.NONE : new Usage(usage.getLong("inputTokens", 0L), usage.getLong("outputTokens", 0L));
  }

  @Override
  RateHeaders rateHeaders(MultiMap headers) {
    return RateHeaders.NONE;
  }

  @Override
  String requestId(HttpResponse<Buffer> response) {
    return response.getHeader("x-amzn-RequestId");
  }

  /** Bedrock: {"message": ...} with the error type in the x-amzn-ErrorType header. */
  @Override
  String errorMessage(JsonObject body, MultiMap headers) {
    String type = headers.get("x-amzn-ErrorType");
    String message = body.getString("message", body.getString("Message"));
    if (type != null) {
      type = type.split(":", 2)[0];
    }
    return message == null ? type : (type != null ? type + ": " : "") + message;
  }
}
