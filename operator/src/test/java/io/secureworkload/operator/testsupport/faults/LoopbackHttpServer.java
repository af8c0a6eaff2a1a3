package io.secureworkload.operator.testsupport.faults;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A minimal HTTP/1.1 server on a free 127.0.0.1 port, one thread per connection, with keep-alive:
 * the fault proxy's front and the EKS double's ({@code testsupport.eks.EksDouble}).
 *
 * <p>Written on plain sockets rather than the JDK's {@code HttpServer} for two reasons: an answer
 * leaves in one write (the JDK server writes the head and the body apart, and without {@code
 * TCP_NODELAY}, a JVM-wide setting read once, each call then waits ~40 ms for a delayed ACK), and a
 * dropped call is a real reset (RST), not an orderly close.
 */
public final class LoopbackHttpServer implements AutoCloseable {

  /** A request as it arrived; header names are matched without regard to case. */
  public record Request(
      String method, URI target, Map<String, List<String>> headers, byte[] body) {}

  private static final int MAX_LINE = 64 * 1024;

  private final ServerSocket listener;
  private final Function<Request, Optional<Answer>> handler;
  private final ExecutorService threads;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  /**
   * @param handler the answer to each request, or empty to reset the connection without one
   */
  public LoopbackHttpServer(Function<Request, Optional<Answer>> handler) {
    this.handler = handler;
    try {
      this.listener = new ServerSocket(0, 64, InetAddress.getByName("127.0.0.1"));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not bind a port on 127.0.0.1", e);
    }
    var counter = new AtomicInteger();
    String prefix = "fault-proxy-" + listener.getLocalPort() + "-";
    this.threads =
        Executors.newCachedThreadPool(
            runnable -> {
              var thread = new Thread(runnable, prefix + counter.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    threads.execute(this::accept);
  }

  public int port() {
    return listener.getLocalPort();
  }

  @Override
  public void close() {
    closeQuietly(listener);
    open.forEach(LoopbackHttpServer::closeQuietly);
    // Interrupts handlers that sleep, e.g. for a latency rule.
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket socket = listener.accept();
        socket.setTcpNoDelay(true);
        open.add(socket);
        threads.execute(() -> serve(socket));
      } catch (IOException | RejectedExecutionException stopping) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (true) {
        Optional<Request> request = read(in, out);
        if (request.isEmpty()) {
          return;
        }
        Optional<Answer> answer = handler.apply(request.get());
        if (answer.isEmpty()) {
          socket.setSoLinger(true, 0);
          return;
        }
        boolean keepAlive = !"close".equalsIgnoreCase(first(request.get(), "Connection"));
        out.write(encode(request.get(), answer.get(), keepAlive));
        out.flush();
        if (!keepAlive) {
          return;
        }
      }
    } catch (IOException | RuntimeException connectionGone) {
      // The caller hung up or sent something that is not HTTP; it sees a closed connection.
    } finally {
      open.remove(socket);
    }
  }

  /** The next request on the connection, or empty once the caller closed it between requests. */
  private static Optional<Request> read(InputStream in, OutputStream out) throws IOException {
    String requestLine = readLine(in);
    while (requestLine != null && requestLine.isEmpty()) {
      requestLine = readLine(in);
    }
    if (requestLine == null) {
      return Optional.empty();
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3) {
      throw new IOException("Not an HTTP request line: " + requestLine);
    }
    var headers = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers
            .computeIfAbsent(line.substring(0, colon).trim(), name -> new ArrayList<>())
            .add(line.substring(colon + 1).trim());
      }
    }
    var request = new Request(parts[0], URI.create(parts[1]), headers, new byte[0]);
    if ("100-continue".equalsIgnoreCase(first(request, "Expect"))) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    return Optional.of(
        new Request(request.method(), request.target(), headers, readBody(in, request)));
  }

  private static byte[] readBody(InputStream in, Request request) throws IOException {
    String encoding = first(request, "Transfer-Encoding");
    if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      var body = new ByteArrayOutputStream();
      for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
        body.write(readExactly(in, size));
        readLine(in);
      }
      // Trailers, up to the empty line.
      for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {}
      return body.toByteArray();
    }
    String length = first(request, "Content-Length");
    return length == null ? new byte[0] : readExactly(in, Integer.parseInt(length.trim()));
  }

  private static int chunkSize(InputStream in) throws IOException {
    String line = readLine(in);
    if (line == null) {
      throw new EOFException("Connection closed inside a chunked body");
    }
    int extension = line.indexOf(';');
    return Integer.parseInt((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
  }

  private static byte[] readExactly(InputStream in, int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new EOFException("Body ended after " + bytes.length + " of " + length + " bytes");
    }
    return bytes;
  }

  /** A line without its CR LF, or null at the end of the stream. */
  private static String readLine(InputStream in) throws IOException {
    var line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
      }
      if (line.size() > MAX_LINE) {
        throw new IOException("Line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  /** Head and body in one buffer, so that the answer leaves in one write. */
  private static byte[] encode(Request request, Answer answer, boolean keepAlive) {
    boolean head = request.method().equals("HEAD");
    var text = new StringBuilder("HTTP/1.1 ").append(answer.status()).append(" \r\n");
    answer
        .headers()
        .forEach(
            (name, values) -> {
              boolean framing =
                  name.equalsIgnoreCase("Content-Length")
                      || name.equalsIgnoreCase("Transfer-Encoding")
                      || name.equalsIgnoreCase("Connection");
              // A HEAD answer describes the body it leaves out, so its length stays as it came.
              if (!framing || (head && name.equalsIgnoreCase("Content-Length"))) {
                values.forEach(
                    value -> text.append(name).append(": ").append(value).append("\r\n"));
              }
            });
    if (!head) {
      text.append("Content-Length: ").append(answer.body().length).append("\r\n");
    }
    if (!keepAlive) {
      text.append("Connection: close\r\n");
    }
    text.append("\r\n");
    byte[] headBytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);
    if (head) {
      return headBytes;
    }
    byte[] all = new byte[headBytes.length + answer.body().length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(answer.body(), 0, all, headBytes.length, answer.body().length);
    return all;
  }

  private static String first(Request request, String header) {
    List<String> values = request.headers().get(header);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException | RuntimeException alreadyGone) {
      // Closing is all we wanted.
    }
  }
}
