package dev.llmworker.provider;

import dev.llmworker.app.LlmwConfig;
import dev.llmworker.task.Endpoint;
import dev.llmworker.task.ResultLine.Usage;
import dev.llmworker.task.Task;
import dev.llmworker.task.TaskDecoder;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What every provider shares: one WebClient, one request template per model URL (timeout, headers), the call, and
 * the mapping of the answer to {@link ProviderReply} or a classified {@link ProviderFailure}. Subclasses say only
 * where to send, what to send and how to read the answer. One instance per worker verticle (event-loop confined).
 */
abstract class HttpProvider implements LlmProvider {
  protected final LlmwConfig.Provider config;
  private final WebClient client;
  /** Request templates by model, the most recently used {@link #TEMPLATES} kept (tasks choose the model). */
  private final Map<String, HttpRequest<Buffer>> templates = new java.util.LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, HttpRequest<Buffer>> eldest) {
      return size() > TEMPLATES;
    }
  };
  private static final int TEMPLATES = 256;

  HttpProvider(Vertx vertx, LlmwConfig.Provider config, int defaultConnections) {
    this.config = config;
    WebClientOptions options = new WebClientOptions()
        .setConnectTimeout(config.connectTimeoutSeconds() * 1000)
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setUserAgent("llm-worker");
    int connections = config.maxConnections() > 0 ? config.maxConnections() : defaultConnections;
    this.client = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(connections));
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public LlmwConfig.Provider config() {
    return config;
  }

  /**
   * The absolute URL for a (provider-side) model name and an endpoint this provider serves; never anything a task
   * supplies beyond those two.
   */
  abstract String url(String model, Endpoint endpoint);

  /** Authentication, version and the configured extra headers, put on the template once. */
  abstract void staticHeaders(HttpRequest<Buffer> template);

  /** The request body in the provider's format; {@link IllegalArgumentException} if the task cannot be sent. */
  abstract JsonObject requestBody(Task task, String model);

  /** The provider's success body in the OpenAI shape of the task's endpoint ({@code usage} as counted). */
  abstract JsonObject toOpenAi(JsonObject raw, Task task, String model, String requestId, Usage usage);

  /** The tokens the provider counted, from its body (and, for some, its headers). */
  abstract Usage usage(JsonObject raw, MultiMap headers);

  abstract RateHeaders rateHeaders(MultiMap headers);

  /** The provider's own error message from an error body, or null. */
  abstract String errorMessage(JsonObject body, MultiMap headers);

  /**
   * One URL path segment (a deployment or model id such as {@code anthropic.claude-v2:1}, or an inference-profile
   * ARN with a '/'), percent-encoded, as AWS's and Azure's own clients send it. A dot segment cannot be encoded
   * away (servers normalise {@code %2E} as '.'): {@link #complete} refuses such models before this is reached.
   */
  static String pathSegment(String value) {
    if (TaskDecoder.unusableModel(value) != null) {
      throw new IllegalArgumentException("not a path segment: \"" + TaskDecoder.clip(value) + "\"");
    }
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * The custom_id as the X-Client-Request-Id value: as it is when it is printable ASCII, else percent-encoded
   * (UTF-8, '%' and spaces too). The decoder refuses control characters; this keeps a header that would not be
   * built (a newline throws) from ever failing a call, and non-ASCII ids from being sent mangled.
   */
  static String headerValue(String id) {
    if (id.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      return id;
    }
    StringBuilder encoded = new StringBuilder();
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && c != '%') {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return encoded.toString();
  }

  String requestId(HttpResponse<Buffer> response) {
    return response.getHeader("x-request-id");
  }

  /** Last touches per request, such as a signature over the body. */
  Future<HttpRequest<Buffer>> prepare(HttpRequest<Buffer> request, String url, Buffer body) {
    return Future.succeededFuture(request);
  }

  @Override
  public Future<ProviderReply> complete(Task task) {
    String model = config.providerModel(task.model());
    String unusable = TaskDecoder.unusableModel(model);
    if (unusable != null) {
      return Future.failedFuture(ProviderFailure.refused("bad_model", "the model for provider " + name() + ", "
          + unusable));
    }
    Buffer body;
    try {
      body = requestBody(task, model).toBuffer();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new ProviderFailure(ProviderFailure.Kind.PERMANENT, 0, -1,
          "cannot send this task to " + name() + " (" + config.type() + "): " + e.getMessage()));
    }
    long start = System.nanoTime();
    Endpoint endpoint = task.endpoint();
    HttpRequest<Buffer> request = template(model, endpoint).copy()
        .putHeader("X-Client-Request-Id", headerValue(task.customId()));
    return prepare(request, url(model, endpoint), body)
        .compose(signed -> signed.sendBuffer(body))
        .recover(e -> Future.failedFuture(e instanceof ProviderFailure ? e
            : new ProviderFailure(ProviderFailure.Kind.TRANSIENT, 0, -1,
                "no answer from " + name() + ": " + TaskDecoder.clip(e.getMessage()))))
        .compose(response -> classify(response, task, model, (System.nanoTime() - start) / 1_000_000));
  }

  private HttpRequest<Buffer> template(String model, Endpoint endpoint) {
    return templates.computeIfAbsent(endpoint.label + " " + model, key -> {
      HttpRequest<Buffer> template = client.postAbs(url(model, endpoint))
          .as(new LimitedBody(config.maxResponseBytes(), name()))
          .timeout(config.requestTimeoutSeconds() * 1000L)
          .putHeader("Content-Type", "application/json");
      staticHeaders(template);
      config.headers().forEach(template::putHeader);
      return template;
    });
  }

  private Future<ProviderReply> classify(HttpResponse<Buffer> response, Task task, String model, long latencyMs) {
    int status = response.statusCode();
    RateHeaders limits = rateHeaders(response.headers());
    if (status / 100 != 2) {
      return Future.failedFuture(ProviderFailure.forStatus(status, RetryAfter.parseMs(response.headers()),
          name() + " answered " + status + ": " + errorText(response)).withRateHeaders(limits));
    }
    JsonObject raw;
    try {
      raw = response.bodyAsJsonObject();
      if (raw == null) {
        throw new IllegalArgumentException("empty body");
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(new ProviderFailure(ProviderFailure.Kind.TRANSIENT, status, -1,
          name() + " answered " + status + " with a body that is not a JSON object").withRateHeaders(limits));
    }
    String requestId = requestId(response);
    Usage usage = usage(raw, response.headers());
    JsonObject body = toOpenAi(raw, task, model, requestId, usage);
    return Future.succeededFuture(new ProviderReply(name(), model, status, requestId, body, body == raw ? null : raw,
        usage, latencyMs, limits));
  }

  /** The provider's own error message when it sent one, else the raw text; clipped to one short line. */
  private String errorText(HttpResponse<Buffer> response) {
    String text = response.bodyAsString();
    if (text == null || text.isBlank()) {
      return "(no body)";
    }
    try {
      String message = errorMessage(new JsonObject(text), response.headers());
      if (message != null) {
        return TaskDecoder.clip(message);
      }
    } catch (RuntimeException ignored) {
      // not JSON: fall through to the raw text
    }
    return TaskDecoder.clip(text);
  }

  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }
}
