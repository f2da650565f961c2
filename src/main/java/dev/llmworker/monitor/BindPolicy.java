package dev.llmworker.monitor;

import dev.llmworker.app.ConfigException;
import dev.llmworker.app.LlmwConfig;
import dev.llmworker.net.Hosts;
import io.vertx.core.Handler;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who can reach the monitor. Bound to another address than loopback it must have a token (or be told
 * {@code monitor.allowOpen}); bound to loopback it answers only requests addressed to a loopback name or address
 * (or a name in {@code monitor.allowedHosts}), so a web page whose host name was re-pointed at 127.0.0.1
 * (DNS rebinding) cannot use the operator's browser to read it.
 */
final class BindPolicy implements Handler<RoutingContext> {
  private final boolean loopback;
  private final Set<String> allowedHosts;

  private BindPolicy(boolean loopback, Set<String> allowedHosts) {
    this.loopback = loopback;
    this.allowedHosts = allowedHosts;
  }

  /** The policy for {@code monitor}; a ConfigException when it would serve task content to anyone who asks. */
  static BindPolicy of(LlmwConfig.Monitor monitor) {
    boolean loopback = Hosts.isLoopback(monitor.host());
    if (!loopback && monitor.token().isEmpty() && !monitor.allowOpen()) {
      throw new ConfigException("monitor.token", "a token of " + LlmwConfig.Monitor.MIN_TOKEN_LENGTH
          + "+ characters (LLMW_MONITOR_TOKEN, e.g. openssl rand -hex 16) when monitor.host is not a loopback "
          + "address: without one anyone who reaches " + monitor.host() + ":" + monitor.port() + " reads every "
          + "task's prompt and answer (set monitor.allowOpen to true to serve it open anyway)", "");
    }
    return new BindPolicy(loopback, monitor.allowedHosts().stream().map(h -> h.toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet()));
  }

  @Override
  public void handle(RoutingContext ctx) {
    HostAndPort authority = ctx.request().authority();
    String host = authority == null ? "" : Hosts.ofHostHeader(authority.host());
    if (!loopback || authority == null || Hosts.isLoopback(host) || allowedHosts.contains(host)) {
      ctx.next();
      return;
    }
    HttpJson.error(ctx, 403, "this monitor listens on loopback and answers only requests for localhost or "
        + "127.0.0.1, not for '" + host + "' (add the name to monitor.allowedHosts if a proxy of yours uses it)");
  }
}
