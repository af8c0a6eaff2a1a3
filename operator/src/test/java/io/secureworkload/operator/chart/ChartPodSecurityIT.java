package io.secureworkload.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.secureworkload.operator.testsupport.HelmChart;
import io.secureworkload.operator.testsupport.KubeApiServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's pod passes the restricted Pod Security Standard as the API server's PodSecurity
 * admission enforces it: the rendered pod template, created as a bare Pod (no kubelet needed) in a
 * namespace that enforces {@code restricted}, is admitted; a weakened copy is not, which proves the
 * namespace really enforces.
 */
class ChartPodSecurityIT {

  private static final String NAMESPACE = "chart-pss-" + System.nanoTime();

  private static KubernetesClient client;

  @BeforeAll
  static void restrictedNamespace() {
    client = KubeApiServer.get().newClient();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(NAMESPACE)
                .withLabels(
                    Map.of(
                        "pod-security.kubernetes.io/enforce", "restricted",
                        "pod-security.kubernetes.io/enforce-version", "latest"))
                .endMetadata()
                .build())
        .create();
  }

  @AfterAll
  static void disconnect() {
    client.close();
  }

  static Stream<Path> ciValueFiles() {
    return HelmChart.ciValueFiles().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ciValueFiles")
  void theRenderedPodIsAdmittedUnderRestricted(Path values) {
    var pod = podOf(values, "admitted-" + values.getFileName().toString().replace(".yaml", ""));

    var created = client.resource(pod).create();

    assertThat(created.getMetadata().getUid()).isNotBlank();
  }

  @Test
  void aWeakenedCopyIsRejected() {
    var pod = podOf(HelmChart.ciValues("default-values.yaml"), "weakened");
    pod.getSpec().getSecurityContext().setRunAsNonRoot(null);
    pod.getSpec().getSecurityContext().setRunAsUser(null);
    pod.getSpec().getContainers().get(0).getSecurityContext().setRunAsNonRoot(null);
    pod.getSpec().getContainers().get(0).getSecurityContext().setAllowPrivilegeEscalation(true);

    assertThatThrownBy(() -> client.resource(pod).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("violates PodSecurity \"restricted:latest\"")
        .hasMessageContaining("runAsNonRoot")
        .hasMessageContaining("allowPrivilegeEscalation");
  }

  /** The Deployment's pod template as a Pod, with the ServiceAccount it names in place. */
  private static Pod podOf(Path values, String name) {
    var deployment = HelmChart.single(HelmChart.render(values), Deployment.class);
    PodSpec spec = deployment.getSpec().getTemplate().getSpec();
    var serviceAccount = spec.getServiceAccountName();
    if (client.serviceAccounts().inNamespace(NAMESPACE).withName(serviceAccount).get() == null) {
      client
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName(serviceAccount)
                  .withNamespace(NAMESPACE)
                  .endMetadata()
                  .build())
          .create();
    }
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NAMESPACE)
        .withLabels(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .endMetadata()
        .withSpec(spec)
        .build();
  }
}
