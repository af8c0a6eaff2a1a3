package io.secureworkload.operator.testsupport;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.TimeUnit;

/** CRDs on the test API server. */
public final class Crds {

  private Crds() {}

  /** Applies the CRD and waits until the API server serves its resources. */
  public static void applyAndAwaitEstablished(
      KubernetesClient client, CustomResourceDefinition crd) {
    client.resource(crd).serverSideApply();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .waitUntilCondition(Crds::isEstablished, 60, TimeUnit.SECONDS);
  }

  private static boolean isEstablished(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
