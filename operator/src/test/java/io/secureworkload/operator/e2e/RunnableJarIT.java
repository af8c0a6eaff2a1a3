package io.secureworkload.operator.e2e;

import static io.secureworkload.operator.testsupport.WorkloadAssertions.isReady;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.testsupport.Crds;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.OperatorProcess;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.TestPaths;
import io.secureworkload.operator.testsupport.ThirdPartyCrds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

  private KubernetesClient client;
  private OperatorProcess operator;

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
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

    await()
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> operator.get("/healthz").statusCode() == 200);
    try (var example =
        Files.newInputStream(TestPaths.repoRoot().resolve("examples/s3-reader.yaml"))) {
      var workload = client.getKubernetesSerialization().unmarshal(example, SecureWorkload.class);
      client.resource(workload).inNamespace(NAMESPACE).create();
    }
    await()
        .atMost(TIMEOUT)
        .alias("Ready (log: " + operator.log() + ")")
        .until(() -> isReady(workload()));

    assertThat(operator.get("/metrics").body())
        .contains(
            "secureworkload_aws_calls_total{account=\"123456789012\",operation=\"GetCallerIdentity\",outcome=\"success\",service=\"Sts\"} 1.0")
        .contains(
            "secureworkload_aws_calls_total{account=\"123456789012\",operation=\"CreateRole\",outcome=\"success\",service=\"Iam\"} 1.0");
    client.resource(workload()).delete();
    await().atMost(TIMEOUT).until(() -> workload() == null);
    assertThat(operator.stop(Duration.ofSeconds(30))).as("stops on SIGTERM").isTrue();
    assertThat(Files.readString(operator.log()))
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
    var tmp = Files.createDirectories(TestPaths.buildDir().resolve("jar-tmp"));
    operator =
        OperatorProcess.builder("jar")
            .jar(jar)
            // The Dockerfile's ENTRYPOINT flags.
            .jvmFlags(
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:MaxRAMPercentage=50",
                "-XX:InitialRAMPercentage=25",
                "-XX:-UsePerfData",
                "-Djava.io.tmpdir=" + tmp)
            .cleanEnvironment()
            .cluster("jar", "https://oidc.eks.us-west-2.amazonaws.com/id/JAR")
            .aws(MOTO.endpoint())
            .env(OperatorSettings.PERMISSIONS_BOUNDARY_ARN, OperatorTestEnvironment.BOUNDARY)
            .env(OperatorSettings.WATCH_NAMESPACES, NAMESPACE)
            .anyMetricsPort()
            .start();
  }

  private SecureWorkload workload() {
    return client
        .resources(SecureWorkload.class)
        .inNamespace(NAMESPACE)
        .withName("report-reader")
        .get();
  }
}
