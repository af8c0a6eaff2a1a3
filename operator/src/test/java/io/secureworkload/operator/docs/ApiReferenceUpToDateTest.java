package io.secureworkload.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.testsupport.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * docs/api-reference.md is the CRDs' fields as {@link ApiReference} renders them. {@code make docs}
 * runs this test with {@code -Ddocs.update=true}, which writes the file instead of comparing.
 */
class ApiReferenceUpToDateTest {

  @Test
  void theCommittedApiReferenceMatchesTheCrds() throws IOException {
    var committed = TestPaths.repoRoot().resolve("docs/api-reference.md");
    var generated = ApiReference.render(TestPaths.repoRoot().resolve("crds"));

    if (Boolean.getBoolean("docs.update")) {
      Files.writeString(committed, generated);
    }
    assertThat(Files.exists(committed))
        .as("docs/api-reference.md exists; run `make docs`")
        .isTrue();
    assertThat(Files.readString(committed))
        .as("docs/api-reference.md is stale: run `make docs` and commit the result")
        .isEqualTo(generated);
  }

  @Test
  void nestedFieldsAreListedWithTheirDescriptions() {
    var reference = ApiReference.render(TestPaths.repoRoot().resolve("crds"));

    assertThat(reference)
        .contains("| `spec.network.ingress[].ports[].port` |")
        .contains("| `status.conditions[].reason` |")
        .containsPattern(
            "\\| `spec.iam.statements\\[\\].actions` \\| \\[\\]string \\| yes \\|.*\\| \\w+.* \\|");
  }
}
