package dev.llmworker.batchcli;

import dev.llmworker.app.LlmwConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where the Batch API is and the bearer token to show it: {@code --url}, else the configured monitor address; the
 * environment's {@code LLMW_API_TOKEN}, else the first of {@code api.tokens}. The token never appears in a message.
 */
record ApiTarget(URI base, String token) {
  static final String TOKEN_ENV = "LLMW_API_TOKEN";

  /**
   * @param url    {@code --url} as given, or null
   * @param env    the environment ({@code System::getenv})
   * @param config the configuration, loaded only when {@code --url} or the token is missing
   */
  static ApiTarget resolve(String url, Function<String, String> env, Supplier<LlmwConfig> config) {
    String envToken = env.apply(TOKEN_ENV);
    boolean tokenGiven = envToken != null && !envToken.isBlank();
    LlmwConfig cfg = url == null || !tokenGiven ? config.get() : null;
    URI base = url != null ? fromOption(url) : fromMonitor(cfg.monitor());
    String token = tokenGiven ? envToken.trim() : cfg.api().tokens().stream().findFirst().orElse(null);
    if (token == null) {
      throw new UsageProblem("no API token: set " + TOKEN_ENV + " to one of the node's api.tokens (the node reads "
          + "them from LLMW_API_TOKENS), or list them under api.tokens in the config file");
    }
    return new ApiTarget(base, token);
  }

  /** {@code http://host:8080}, {@code http://host:8080/v1/} or a prefix behind a proxy; /v1 is added per call. */
  static URI fromOption(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
        || uri.getQuery() != null || uri.getFragment() != null) {
      throw new UsageProblem("--url: expected the node's address such as http://127.0.0.1:8080, got \"" + url + "\"");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    if (path.endsWith("/v1")) {
      path = path.substring(0, path.length() - "/v1".length());
    }
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path);
  }

  /** The monitor's address, a wildcard bind address replaced by loopback. */
  static URI fromMonitor(LlmwConfig.Monitor monitor) {
    if (monitor.port() == 0) {
      throw new UsageProblem("monitor.port is 0 in the configuration (any free port), so the node's address is not "
          + "known here: give it with --url http://HOST:PORT");
    }
    String host = monitor.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + monitor.port());
  }

  /** {@code /v1/} + {@code path} below the base. */
  URI resolve(String path) {
    return URI.create(base + "/v1/" + path);
  }

  @Override
  public String toString() {
    return "ApiTarget[" + base + ", token hidden]";
  }
}
