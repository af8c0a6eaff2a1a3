package io.secureworkload.operator.testsupport;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** CRDs on the test API server. */
public final class Crds {

  private Crds() {}

  /** The operator's own CRDs, as the build generated them. */
  public static final List<String> OPERATOR_CRDS =
      List.of(
          "secureworkloads.secureworkload.io-v1.yml",
          "secureworkloadpolicies.secureworkload.io-v1.yml");

  /** Applies every CRD the operator ships and waits until the API server serves them. */
  public static void installOperatorCrds(KubernetesClient client) {
    for (var file : OPERATOR_CRDS) {
      try (var in = Crds.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
        if (in == null) {
          throw new IllegalStateException("The build generated no " + file);
        }
        applyAndAwaitEstablished(
            client,
            client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

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
