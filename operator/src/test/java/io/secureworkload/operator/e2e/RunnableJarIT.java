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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped artifact itself: the shaded jar ({@code make package}), started with {@code java
 * -jar} and the image's JVM flags, nothing else on its class path. Proves what shading can break:
 * the service files fabric8 and the AWS SDK find their HTTP clients through, and logback's
 * configuration.
 */
class RunnableJarIT {

  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String NAMESPACE = "jar-" + System.nanoTime();

  private final HttpClient http = HttpClient.newHttpClient();
  private KubernetesClient client;
  private Process operator;
  private Path log;
  private int metricsPort;

  @AfterEach
  void stop() throws InterruptedException {
    if (operator != null && operator.isAlive()) {
      operator.destroy();
      operator.waitFor(30, TimeUnit.SECONDS);
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  void theRunnableJarReconcilesThroughItsOwnHttpClientsAndLogs() throws Exception {
    Path jar = Path.of(System.getProperty("runnable.jar", "missing"));
    assertThat(jar).as("the runnable jar (built by the package phase)").isRegularFile();
    prepareCluster();
    start(jar);

    await().atMost(TIMEOUT).ignoreExceptions().until(() -> get("/healthz").statusCode() == 200);
    try (var example =
        Files.newInputStream(TestPaths.repoRoot().resolve("examples/s3-reader.yaml"))) {
      var workload = client.getKubernetesSerialization().unmarshal(example, SecureWorkload.class);
      client.resource(workload).inNamespace(NAMESPACE).create();
    }
    await().atMost(TIMEOUT).alias("Ready (log: " + log + ")").until(() -> isReady(workload()));

    assertThat(get("/metrics").body())
        .contains(
            "secureworkload_aws_calls_total{operation=\"GetCallerIdentity\",outcome=\"success\",service=\"Sts\"} 1.0")
        .contains(
            "secureworkload_aws_calls_total{operation=\"CreateRole\",outcome=\"success\",service=\"Iam\"} 1.0");
    client.resource(workload()).delete();
    await().atMost(TIMEOUT).until(() -> workload() == null);
    operator.destroy();
    assertThat(operator.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    assertThat(Files.readString(log))
        .as("logback's pattern from the jar's logback.xml")
        .containsPattern(
            "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main\\] .*secure-workload-operator started")
        .doesNotContain("SLF4J(W)")
        .doesNotContain("No SdkHttpService");
  }

  private void prepareCluster() throws IOException {
    client = KubeApiServer.get().newClient();
    Crds.installOperatorCrds(client);
    ThirdPartyCrds.install(client);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
  }

  private void start(Path jar) throws IOException {
    var kubeconfig =
        Files.writeString(
            TestPaths.buildDir().resolve("jar-kubeconfig"), KubeApiServer.get().kubeConfigYaml());
    var tmp = Files.createDirectories(TestPaths.buildDir().resolve("jar-tmp"));
    log = TestPaths.buildDir().resolve("jar-operator.log");
    metricsPort = freePort();
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // The Dockerfile's ENTRYPOINT flags.
    var command =
        List.of(
            java,
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:MaxRAMPercentage=50",
            "-XX:InitialRAMPercentage=25",
            "-XX:-UsePerfData",
            "-Djava.io.tmpdir=" + tmp,
            "-jar",
            jar.toString());
    var builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    var env = builder.environment();
    env.clear();
    env.put("PATH", System.getenv("PATH"));
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_ACCESS_KEY);
    env.put(OperatorSettings.CLUSTER_NAME, "jar");
    env.put(OperatorSettings.OIDC_ISSUER_URL, "https://oidc.eks.us-west-2.amazonaws.com/id/JAR");
    env.put(OperatorSettings.AWS_REGION, MotoServer.REGION);
    env.put(OperatorSettings.AWS_ENDPOINT_URL, MOTO.endpoint().toString());
    env.put(OperatorSettings.PERMISSIONS_BOUNDARY_ARN, OperatorTestEnvironment.BOUNDARY);
    env.put(OperatorSettings.WATCH_NAMESPACES, NAMESPACE);
    env.put(OperatorSettings.METRICS_PORT, String.valueOf(metricsPort));
    operator = builder.start();
  }

  private SecureWorkload workload() {
    return client
        .resources(SecureWorkload.class)
        .inNamespace(NAMESPACE)
        .withName("report-reader")
        .get();
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
