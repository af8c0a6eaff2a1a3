package io.secureworkload.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.testsupport.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The status contract read by the real kstatus rules (sigs.k8s.io/cli-utils, as Flux and kpt read
 * it), not a re-implementation: {@code hack/kstatus}, built by {@code make kstatus}, computes the
 * status of every sample object. The same helper runs the Argo CD health scripts in gopher-lua, the
 * interpreter Argo CD embeds, to show that the scripts keep to what it understands.
 */
class KstatusConditionsIT {

  private static final Pattern CLI_UTILS =
      Pattern.compile("(?m)^\\s*sigs\\.k8s\\.io/cli-utils (v\\S+)");

  private static final Path ARGOCD = TestPaths.repoRoot().resolve("deploy/argocd");

  private static Map<String, String[]> computed;

  @BeforeAll
  static void computeEveryFixture() throws IOException, InterruptedException {
    computed = run(List.of(), HealthFixtures.ALL);
  }

  @Test
  void gopherLuaGivesTheSameArgoCdHealthAsTheTable() throws IOException, InterruptedException {
    var workloads = HealthFixtures.ALL.stream().filter(f -> !f.isPolicy()).toList();
    var policies = HealthFixtures.ALL.stream().filter(HealthFixtures.Fixture::isPolicy).toList();
    var health = new HashMap<String, String[]>();
    health.putAll(run(List.of("-argocd-health", script("health-secureworkload.lua")), workloads));
    health.putAll(
        run(List.of("-argocd-health", script("health-secureworkloadpolicy.lua")), policies));

    for (var fixture : HealthFixtures.ALL) {
      assertThat(health.get(fixture.file())).as(fixture.file()).isNotNull();
      assertThat(health.get(fixture.file())[1]).as(fixture.file()).isEqualTo(fixture.argoCd());
      assertThat(health.get(fixture.file())[2]).as(fixture.file()).contains(fixture.messagePart());
    }
  }

  /** Runs the helper on fixtures; its lines by file: file, status, message. */
  private static Map<String, String[]> run(
      List<String> options, List<HealthFixtures.Fixture> fixtures)
      throws IOException, InterruptedException {
    Path dir = TestPaths.repoRoot().resolve("operator/src/test/resources/health");
    var command = new ArrayList<>(List.of(binary().toString()));
    command.addAll(options);
    fixtures.forEach(f -> command.add(f.file()));
    var process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s:%n%s", command, output).isZero();
    var lines = new HashMap<String, String[]>();
    output.lines().map(l -> l.split("\t", 3)).forEach(p -> lines.put(p[0], p));
    return lines;
  }

  private static String script(String name) {
    return ARGOCD.resolve(name).toString();
  }

  @Test
  void everySampleObjectHasTheExpectedKstatus() {
    for (var fixture : HealthFixtures.ALL) {
      assertThat(computed.get(fixture.file())[1]).as(fixture.file()).isEqualTo(fixture.kstatus());
    }
  }

  @Test
  void aNotReadyStateIsNeverCurrent() {
    HealthFixtures.ALL.stream()
        .filter(f -> !f.argoCd().equals("Healthy") && !f.file().endsWith("no-status.yaml"))
        .forEach(f -> assertThat(computed.get(f.file())[1]).as(f.file()).isNotEqualTo("Current"));
  }

  /** The helper for the cli-utils version in hack/kstatus/go.mod, where `make kstatus` puts it. */
  private static Path binary() throws IOException {
    String goMod = Files.readString(TestPaths.repoRoot().resolve("hack/kstatus/go.mod"));
    var version = CLI_UTILS.matcher(goMod);
    assertThat(version.find()).as("cli-utils in hack/kstatus/go.mod").isTrue();
    Path binary =
        Path.of(
            System.getProperty("user.home"),
            ".cache/secure-workload-operator/kstatus",
            version.group(1),
            "kstatus");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "No kstatus helper at " + binary + ". Run `make kstatus` in the repository root.");
    }
    return binary;
  }
}
