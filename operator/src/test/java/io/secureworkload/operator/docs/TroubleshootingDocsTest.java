package io.secureworkload.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.testsupport.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** docs/troubleshooting.md has an entry for every condition reason the operator can write. */
class TroubleshootingDocsTest {

  @ParameterizedTest
  @EnumSource(ConditionReason.class)
  void everyReasonHasAnEntry(ConditionReason reason) throws IOException {
    var docs = Files.readString(TestPaths.repoRoot().resolve("docs/troubleshooting.md"));

    assertThat(docs)
        .as("docs/troubleshooting.md has a heading for %s", reason)
        .contains("### `" + reason.name() + "`\n");
  }
}
