package io.secureworkload.operator.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP forwarder on a fixed 127.0.0.1 port in front of a server, which a test can stop (the port
 * closes and every connection through it is cut) and start again on the same port: to its clients
 * the server went away and came back. Bytes pass through untouched, TLS included, so a client keeps
 * verifying the server's own certificate (whose names must cover 127.0.0.1).
 */
public final class TcpForwarder implements AutoCloseable {

  private static final Pattern SERVER =
      Pattern.compile("(server: https?://127\\.0\\.0\\.1:)(\\d+)");

  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private ServerSocket server;

  private TcpForwarder(InetSocketAddress target, int port) {
    this.target = target;
    this.port = port;
  }

  /** A forwarder to 127.0.0.1:{@code targetPort} on a free port, not started yet. */
  public static TcpForwarder to(int targetPort) {
    try (var probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return new TcpForwarder(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort),
          probe.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A forwarder to the server a kubeconfig names (https://127.0.0.1:PORT), and the same kubeconfig
   * pointing at the forwarder instead.
   */
  public static Redirected inFrontOf(String kubeConfigYaml) {
    Matcher matcher = SERVER.matcher(kubeConfigYaml);
    if (!matcher.find()) {
      throw new IllegalArgumentException("No server: https://127.0.0.1:PORT in the kubeconfig");
    }
    var forwarder = to(Integer.parseInt(matcher.group(2)));
    return new Redirected(forwarder, matcher.replaceAll("$1" + forwarder.port()));
  }

  /** A forwarder and a kubeconfig that reaches the API server through it. */
  public record Redirected(TcpForwarder forwarder, String kubeConfigYaml) {}

  public int port() {
    return port;
  }

  /** Connections accepted since the forwarder was made, over every start. */
  public long accepted() {
    return accepted.get();
  }

  /** Opens the port (again) and forwards every connection made to it. */
  public synchronized TcpForwarder start() {
    if (server != null) {
      return this;
    }
    try {
      var socket = new ServerSocket();
      // The port's earlier connections may still be in TIME_WAIT.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      server = socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var listening = server;
    daemon("tcp-forwarder-accept-" + port, () -> acceptAll(listening)).start();
    return this;
  }

  /** Closes the port and cuts every connection through it, as a server that went away would. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    closeQuietly(server);
    server = null;
    sockets.forEach(TcpForwarder::closeQuietly);
    sockets.clear();
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  @Override
  public void close() {
    stop();
  }

  private void acceptAll(ServerSocket listening) {
    while (!listening.isClosed()) {
      Socket client;
      try {
        client = listening.accept();
      } catch (IOException closed) {
        return;
      }
      accepted.incrementAndGet();
      Socket upstream = new Socket();
      try {
        upstream.connect(target, 5_000);
      } catch (IOException unreachable) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      sockets.add(client);
      sockets.add(upstream);
      daemon("tcp-forwarder-up-" + port, () -> pump(client, upstream)).start();
      daemon("tcp-forwarder-down-" + port, () -> pump(upstream, client)).start();
    }
  }

  /** Copies one direction until either side closes, then closes both. */
  private void pump(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (SocketException cut) {
      // Closed by stop() or by the other side.
    } catch (IOException e) {
      // The same: a connection that ends is not the test's business.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private static Thread daemon(String name, Runnable task) {
    var thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }
}
