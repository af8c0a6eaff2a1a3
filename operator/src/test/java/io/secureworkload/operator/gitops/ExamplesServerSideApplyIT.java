package io.secureworkload.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secureworkload.operator.testsupport.Crds;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a GitOps tool sees: every example, server-side applied as Argo CD or Flux would, applied
 * again unchanged is a no-op (same resourceVersion, same generation), so the committed manifests
 * and the CRD's declared defaults agree.
 */
class ExamplesServerSideApplyIT {

  private static final String NAMESPACE = "gitops-" + System.nanoTime();
  private static final String FIELD_MANAGER = "argocd-controller";

  private static KubernetesClient client;

  @BeforeAll
  static void crdAndNamespace() throws IOException {
    client = KubeApiServer.get().newClient();
    Crds.installOperatorCrds(client);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
  }

  @AfterAll
  static void disconnect() {
    client.close();
  }

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(TestPaths.repoRoot().resolve("examples"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void applyingTheSameManifestAgainChangesNothing(Path example) throws IOException {
    var first = apply(example);
    var second = apply(example);

    assertThat(first).as("objects in %s", example).isNotEmpty();
    assertThat(second)
        .extracting(o -> o.getMetadata().getName() + "@" + o.getMetadata().getResourceVersion())
        .as("name@resourceVersion after the second apply")
        .containsExactlyElementsOf(
            first.stream()
                .map(o -> o.getMetadata().getName() + "@" + o.getMetadata().getResourceVersion())
                .toList());
    assertThat(second).allSatisfy(o -> assertThat(o.getMetadata().getGeneration()).isEqualTo(1L));
    second.forEach(o -> client.resource(o).withGracePeriod(0).delete());
  }

  /** Server-side applies every object of a (possibly multi-document) manifest. */
  private static List<HasMetadata> apply(Path example) throws IOException {
    try (var in = Files.newInputStream(example)) {
      return client.load(in).items().stream()
          .map(
              o -> {
                o.getMetadata().setNamespace(NAMESPACE);
                return (HasMetadata)
                    client.resource(o).fieldManager(FIELD_MANAGER).serverSideApply();
              })
          .toList();
    }
  }
}
