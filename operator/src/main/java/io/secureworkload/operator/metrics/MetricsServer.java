package io.secureworkload.operator.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Serves /metrics (Prometheus text format) and the probes: /readyz (and its older name /healthz)
 * answers 200 while the operator is started and its informers are synced and watching, leader or
 * standby; /livez answers 200 while this process serves HTTP at all, so that an API-server outage
 * makes the pods unready (the informers reconnect by themselves) but does not restart them.
 */
public final class MetricsServer implements AutoCloseable {

  private final HttpServer server;

  public MetricsServer(int port, PrometheusMeterRegistry registry, BooleanSupplier ready)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", exchange -> respond(exchange, 200, registry.scrape()));
    server.createContext("/readyz", exchange -> readiness(exchange, ready));
    server.createContext("/healthz", exchange -> readiness(exchange, ready));
    server.createContext("/livez", exchange -> respond(exchange, 200, "ok"));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void readiness(HttpExchange exchange, BooleanSupplier ready) throws IOException {
    boolean ok = ready.getAsBoolean();
    respond(exchange, ok ? 200 : 503, ok ? "ok" : "not ready");
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    var bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
