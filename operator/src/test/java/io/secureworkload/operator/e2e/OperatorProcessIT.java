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
import java.time.Duration;
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

  private KubernetesClient client;
  private OperatorProcess operator;

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

    operator =
        OperatorProcess.builder("e2e")
            .jvmFlags()
            .cluster("e2e", "https://oidc.eks.us-west-2.amazonaws.com/id/E2E")
            .aws(MOTO.endpoint())
            .env(OperatorSettings.PERMISSIONS_BOUNDARY_ARN, OperatorTestEnvironment.BOUNDARY)
            .env(OperatorSettings.WATCH_NAMESPACES, NAMESPACE)
            .anyMetricsPort()
            .start();
  }

  @AfterEach
  void stopOperatorProcess() {
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  void theShippedMainClassReconcilesReportsHealthAndCountsAwsCalls() throws Exception {
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
        .alias("report-reader Ready (operator log: " + operator.log() + ")")
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
    var metrics = operator.get("/metrics").body();
    assertThat(metrics)
        .contains(
            "secureworkload_aws_calls_total{account=\"123456789012\",operation=\"CreateRole\",outcome=\"success\",service=\"Iam\"} 1.0")
        .contains(
            "secureworkload_aws_calls_total{account=\"123456789012\",operation=\"GetCallerIdentity\",outcome=\"success\",service=\"Sts\"} 1.0");

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

    assertThat(operator.stop(Duration.ofSeconds(30))).as("operator stops on SIGTERM").isTrue();
    assertThat(Files.readString(operator.log()))
        .contains("secure-workload-operator started for cluster e2e");
    assertThat(serviceAccount.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "secure-workload-operator");
  }
}
