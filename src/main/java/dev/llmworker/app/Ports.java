package dev.llmworker.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks for commands that prefer a well-known port but can fall back to any free one. */
public final class Ports {
  private Ports() {}

  public static boolean isFree(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code port} when free, else 0 (any free port). */
  public static int preferred(String host, int port) {
    return port == 0 || isFree(host, port) ? port : 0;
  }
}
