package io.secureworkload.operator.testsupport;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The project's stand-ins for the CRDs of the Secrets Store CSI driver and the VPC resource
 * controller ({@code hack/crds/}), installed and removed on the shared test API server.
 */
public final class ThirdPartyCrds {

  private ThirdPartyCrds() {}

  public static List<CustomResourceDefinition> all(KubernetesClient client) {
    try (Stream<Path> files = Files.list(TestPaths.repoRoot().resolve("hack/crds"))) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .sorted()
          .map(f -> load(client, f))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void install(KubernetesClient client) {
    all(client).forEach(crd -> install(client, crd.getMetadata().getName()));
  }

  /** Installs one CRD and waits until the API server serves it. */
  public static void install(KubernetesClient client, String name) {
    var crd =
        all(client).stream()
            .filter(c -> c.getMetadata().getName().equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("No stand-in CRD " + name));
    crd.getMetadata().setResourceVersion(null);
    Crds.applyAndAwaitEstablished(client, crd);
  }

  /** Removes every stand-in CRD and waits until they are gone. */
  public static void uninstall(KubernetesClient client) {
    for (var crd : all(client)) {
      var resource =
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName());
      resource.delete();
      resource.waitUntilCondition(c -> c == null, 60, TimeUnit.SECONDS);
    }
  }

  private static CustomResourceDefinition load(KubernetesClient client, Path file) {
    try {
      return client
          .getKubernetesSerialization()
          .unmarshal(Files.readString(file), CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
