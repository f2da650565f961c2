package dev.llmworker.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a free loopback port that can be cut: while down it closes every open connection and
 * refuses new ones at once, like an unreachable endpoint.
 */
public final class TcpProxy {
  private final Vertx vertx;
  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean up = true;
  private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

  private TcpProxy(Vertx vertx, NetServer server, NetClient client) {
    this.vertx = vertx;
    this.server = server;
    this.client = client;
  }

  public static Future<TcpProxy> start(Vertx vertx, String targetHost, int targetPort) {
    NetServer server = vertx.createNetServer();
    NetClient client = vertx.createNetClient();
    TcpProxy proxy = new TcpProxy(vertx, server, client);
    server.connectHandler(inbound -> proxy.accept(inbound, targetHost, targetPort));
    return server.listen(0, "127.0.0.1").map(s -> proxy);
  }

  private void accept(NetSocket inbound, String host, int port) {
    if (!up) {
      refused.incrementAndGet();
      inbound.close();
      return;
    }
    inbound.pause();
    client.connect(port, host).onSuccess(outbound -> {
      open.add(inbound);
      open.add(outbound);
      inbound.handler(outbound::write);
      outbound.handler(inbound::write);
      inbound.closeHandler(v -> { open.remove(inbound); outbound.close(); });
      outbound.closeHandler(v -> { open.remove(outbound); inbound.close(); });
      inbound.resume();
    }).onFailure(e -> inbound.close());
  }

  public int port() {
    return server.actualPort();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  /** Connections turned away while down. */
  public int refused() {
    return refused.get();
  }

  public void down() {
    up = false;
    open.forEach(NetSocket::close);
  }

  public void up() {
    up = true;
  }
}
