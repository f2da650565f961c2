package dev.llmworker.provider;

import dev.llmworker.app.LlmwConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Azure OpenAI: {@code {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...} with an
 * {@code api-key} header. The deployment is the task's model, renamed by {@code modelMap} where configured.
 */
public final class AzureOpenAiProvider extends OpenAiProvider {
  public AzureOpenAiProvider(Vertx vertx, LlmwConfig.Provider config, int defaultConnections) {
    super(vertx, config, defaultConnections);
  }

  @Override
  String url(String deployment) {
    return config.baseUrl() + "/openai/deployments/" + pathSegment(deployment) + "/chat/completions?api-version="
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
