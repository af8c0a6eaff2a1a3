package io.secureworkload.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.testsupport.TestPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed SecureWorkloadPolicy CRDs are exactly what the Java model generates. */
class PolicyCrdUpToDateTest {

  private static final String CRD_FILE = "secureworkloadpolicies.secureworkload.io-v1.yml";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"crds", "helm/secure-workload-operator/crds"})
  void committedCrdIsTheGeneratedOne(String directory) throws IOException {
    var committed = TestPaths.repoRoot().resolve(directory).resolve(CRD_FILE);
    assertThat(committed).as("%s is missing: run `make crds`", committed).exists();

    try (InputStream generated =
        PolicyCrdUpToDateTest.class.getResourceAsStream("/META-INF/fabric8/" + CRD_FILE)) {
      assertThat(generated).as("generated %s on the test classpath", CRD_FILE).isNotNull();
      assertThat(Files.readString(committed))
          .as("%s is stale: run `make crds` and commit the result", committed)
          .isEqualTo(new String(generated.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
