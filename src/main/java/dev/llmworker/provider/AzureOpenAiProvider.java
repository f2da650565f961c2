package dev.llmworker.provider;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.task.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Azure OpenAI: {@code {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...} (and
 * {@code /completions}, {@code /embeddings}; Responses at {@code /openai/v1/responses}) with an {@code api-key}
 * header. The deployment is the task's model, renamed by {@code modelMap} where configured. Azure has no
 * moderations endpoint.
 */
public final class AzureOpenAiProvider extends OpenAiProvider {
  public AzureOpenAiProvider(Vertx vertx, LlmwConfig.Provider config, int defaultConnections) {
    super(vertx, config, defaultConnections);
  }

  /**
   * Chat, completions and embeddings on the deployment's own path with {@code api-version}; the Responses API on
   * Azure's v1 path ({@code /openai/v1/responses}, no api-version), the deployment named in the body's model.
   */
  @Override
  String url(String deployment, Endpoint endpoint) {
    if (endpoint == Endpoint.RESPONSES) {
      return config.baseUrl() + "/openai/v1/responses";
    }
    return config.baseUrl() + "/openai/deployments/" + pathSegment(deployment) + endpoint.path() + "?api-version="
        + URLEncoder.encode(config.apiVersion(), StandardCharsets.UTF_8);
  }

  @Override
  void staticHeaders(HttpRequest<Buffer> template) {
    String key = ApiKey.fromEnv(config.apiKeyEnv());
    if (key != null) {
      template.putHeader("api-key", key);
    }
  }

  @Override
  String requestId(io.vertx.ext.web.client.HttpResponse<Buffer> response) {
    String id = response.getHeader("apim-request-id");
    return id != null ? id : super.requestId(response);
  }
}
