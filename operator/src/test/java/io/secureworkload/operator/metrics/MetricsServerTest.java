package io.secureworkload.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The probes: readiness follows the operator, liveness only the process. */
class MetricsServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void readinessFollowsTheOperatorAndLivenessDoesNot() throws Exception {
    var ready = new AtomicBoolean(false);
    try (var server =
        new MetricsServer(0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ready::get)) {
      assertThat(status(server, "/readyz")).isEqualTo(503);
      assertThat(status(server, "/healthz")).isEqualTo(503);
      assertThat(status(server, "/livez")).isEqualTo(200);

      ready.set(true);
      assertThat(status(server, "/readyz")).isEqualTo(200);
      assertThat(status(server, "/healthz")).isEqualTo(200);
      assertThat(status(server, "/metrics")).isEqualTo(200);
    }
  }

  private int status(MetricsServer server, String path) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
