package io.secureworkload.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.testsupport.Crds;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.TestPaths;
import io.secureworkload.operator.testsupport.ThirdPartyCrds;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator as it ships: its main class in a process of its own, configured only through the
 * environment, finding Kubernetes through a kubeconfig and AWS through the default credential
 * chain, serving /healthz and /metrics.
 */
class OperatorProcessIT {

  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String NAMESPACE = "e2e-" + System.nanoTime();

  private final HttpClient http = HttpClient.newHttpClient();
  private KubernetesClient client;
  private Process operator;
  private Path log;
  private int metricsPort;

  @BeforeEach
  void startOperatorProcess() throws IOException {
    client = KubeApiServer.get().newClient();
    Crds.installOperatorCrds(client);
    ThirdPartyCrds.install(client);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();

    var kubeconfig =
        Files.writeString(
            TestPaths.buildDir().resolve("e2e-kubeconfig"), KubeApiServer.get().kubeConfigYaml());
    log = TestPaths.buildDir().resolve("e2e-operator.log");
    metricsPort = freePort();
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var builder =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "io.secureworkload.operator.SecureWorkloadOperator")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    var env = builder.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_ACCESS_KEY);
    env.put(OperatorSettings.CLUSTER_NAME, "e2e");
    env.put(OperatorSettings.OIDC_ISSUER_URL, "https://oidc.eks.us-west-2.amazonaws.com/id/E2E");
    env.put(OperatorSettings.AWS_REGION, MotoServer.REGION);
    env.put(OperatorSettings.AWS_ENDPOINT_URL, MOTO.endpoint().toString());
    env.put(OperatorSettings.PERMISSIONS_BOUNDARY_ARN, OperatorTestEnvironment.BOUNDARY);
    env.put(OperatorSettings.WATCH_NAMESPACES, NAMESPACE);
    env.put(OperatorSettings.METRICS_PORT, String.valueOf(metricsPort));
    operator = builder.start();
  }

  @AfterEach
  void stopOperatorProcess() throws InterruptedException {
    if (operator != null && operator.isAlive()) {
      operator.destroy();
      operator.waitFor(30, TimeUnit.SECONDS);
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  void theShippedMainClassReconcilesReportsHealthAndCountsAwsCalls() throws Exception {
    await().atMost(TIMEOUT).ignoreExceptions().until(() -> get("/healthz").statusCode() == 200);

    try (var example =
        Files.newInputStream(TestPaths.repoRoot().resolve("examples/s3-reader.yaml"))) {
      var workload = client.getKubernetesSerialization().unmarshal(example, SecureWorkload.class);
      client.resource(workload).inNamespace(NAMESPACE).create();
    }
    await()
        .atMost(TIMEOUT)
        .alias("report-reader Ready (operator log: " + log + ")")
        .until(
            () ->
                isReady(
                    client
                        .resources(SecureWorkload.class)
                        .inNamespace(NAMESPACE)
                        .withName("report-reader")
                        .get()));

    var serviceAccount =
        client.serviceAccounts().inNamespace(NAMESPACE).withName("report-reader").get();
    assertThat(serviceAccount.getMetadata().getAnnotations())
        .containsEntry(
            "eks.amazonaws.com/role-arn",
            "arn:aws:iam::123456789012:role/secureworkload/sw-e2e." + NAMESPACE + ".report-reader");
    var metrics = get("/metrics").body();
    assertThat(metrics)
        .contains(
            "secureworkload_aws_calls_total{operation=\"CreateRole\",outcome=\"success\",service=\"Iam\"} 1.0")
        .contains(
            "secureworkload_aws_calls_total{operation=\"GetCallerIdentity\",outcome=\"success\",service=\"Sts\"} 1.0");

    client
        .resources(SecureWorkload.class)
        .inNamespace(NAMESPACE)
        .withName("report-reader")
        .delete();
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client
                        .resources(SecureWorkload.class)
                        .inNamespace(NAMESPACE)
                        .withName("report-reader")
                        .get()
                    == null);
    assertThat(MOTO.iamClient().listRoles().roles()).isEmpty();

    operator.destroy();
    assertThat(operator.waitFor(30, TimeUnit.SECONDS)).as("operator stops on SIGTERM").isTrue();
    assertThat(Files.readString(log)).contains("secure-workload-operator started for cluster e2e");
    assertThat(serviceAccount.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "secure-workload-operator");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static boolean isReady(SecureWorkload workload) {
    return workload != null
        && workload.getStatus() != null
        && workload.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && Condition.TRUE.equals(c.getStatus()));
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
