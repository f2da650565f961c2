package dev.llmworker.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Port checks for commands that prefer a well-known port but can fall back to any free one, and free ports. */
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

  /**
   * {@code count} distinct ports free right now (the OS picks them, all held open together so none repeats), for
   * peers that must know each other's ports before they start, such as Hazelcast members.
   */
  public static List<Integer> free(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      sockets.forEach(Ports::closeQuietly);
    }
  }

  private static void closeQuietly(ServerSocket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // a port we only probed
    }
  }
}
