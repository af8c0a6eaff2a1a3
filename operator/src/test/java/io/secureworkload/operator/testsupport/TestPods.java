package io.secureworkload.operator.testsupport;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Pods for tests that need one to exist: no kubelet runs them, the API server only keeps them. */
public final class TestPods {

  private TestPods() {}

  /** A pod running as this ServiceAccount, created now. */
  public static void runningAs(
      KubernetesClient client, String namespace, String name, String serviceAccount) {
    client
        .pods()
        .inNamespace(namespace)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName(serviceAccount)
                .addNewContainer()
                .withName("app")
                .withImage("registry.k8s.io/pause:3.9")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }
}
