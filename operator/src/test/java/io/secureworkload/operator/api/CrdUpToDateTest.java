package io.secureworkload.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.secureworkload.operator.testsupport.TestPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CRDs committed for users (kubectl, Helm) are exactly what the Java model generates. */
class CrdUpToDateTest {

  private static final String CRD_FILE = "secureworkloads.secureworkload.io-v1.yml";
  private static final String FIX = "Run `make crds` and commit the result.";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"crds", "helm/secure-workload-operator/crds"})
  void committedCrdIsTheGeneratedOne(String directory) throws IOException {
    byte[] generated = generatedCrd();
    Path committed = TestPaths.repoRoot().resolve(directory).resolve(CRD_FILE);
    assertThat(committed).as("%s is missing. %s", committed, FIX).exists();

    byte[] committedBytes = Files.readAllBytes(committed);

    if (!Arrays.equals(committedBytes, generated)) {
      fail(
          "%s is stale: it differs from the CRD generated from the model (%s). %s",
          committed, firstDifference(committedBytes, generated), FIX);
    }
  }

  private static byte[] generatedCrd() throws IOException {
    try (InputStream in =
        CrdUpToDateTest.class.getResourceAsStream("/META-INF/fabric8/" + CRD_FILE)) {
      assertThat(in).as("generated CRD %s on the test classpath", CRD_FILE).isNotNull();
      return in.readAllBytes();
    }
  }

  private static String firstDifference(byte[] committed, byte[] generated) {
    String[] committedLines = new String(committed, StandardCharsets.UTF_8).split("\n", -1);
    String[] generatedLines = new String(generated, StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < Math.min(committedLines.length, generatedLines.length); i++) {
      if (!committedLines[i].equals(generatedLines[i])) {
        return "first at line %d: committed '%s', generated '%s'"
            .formatted(i + 1, committedLines[i], generatedLines[i]);
      }
    }
    return "committed has %d lines, generated %d"
        .formatted(committedLines.length, generatedLines.length);
  }
}
