package io.secureworkload.operator.testsupport;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
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

  /**
   * The SecureWorkload CRD as an earlier version may have left it in a cluster: without the
   * schema's checks (CEL rules and patterns) under each of the properties, for example {@code
   * spec.network.egress.to.ipBlock} (list items are stepped through). The operator must hold
   * without them. Put the current CRDs back with {@link #installOperatorCrds}.
   */
  public static void installSecureWorkloadCrdWithoutChecksUnder(
      KubernetesClient client, String... propertyPaths) {
    try (var in = Crds.class.getResourceAsStream("/META-INF/fabric8/" + OPERATOR_CRDS.get(0))) {
      var crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      for (var version : crd.getSpec().getVersions()) {
        for (var path : propertyPaths) {
          withoutChecks(property(version.getSchema().getOpenAPIV3Schema(), path));
        }
      }
      applyAndAwaitEstablished(client, crd);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JSONSchemaProps property(JSONSchemaProps schema, String path) {
    var property = schema;
    for (var name : path.split("[.]")) {
      while (property.getProperties() == null || !property.getProperties().containsKey(name)) {
        if (property.getItems() == null) {
          throw new IllegalArgumentException("no property " + path + " in the CRD");
        }
        property = property.getItems().getSchema();
      }
      property = property.getProperties().get(name);
    }
    return property;
  }

  private static void withoutChecks(JSONSchemaProps schema) {
    if (schema == null) {
      return;
    }
    schema.setXKubernetesValidations(null);
    schema.setPattern(null);
    if (schema.getProperties() != null) {
      schema.getProperties().values().forEach(Crds::withoutChecks);
    }
    if (schema.getItems() != null) {
      withoutChecks(schema.getItems().getSchema());
    }
    if (schema.getAdditionalProperties() != null) {
      withoutChecks(schema.getAdditionalProperties().getSchema());
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
