package io.secureworkload.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.secureworkload.operator.testsupport.TestPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health checks in {@code deploy/argocd/}, run by a Lua interpreter on sample status
 * objects as Argo CD runs them: the object as the global {@code obj}, the script returning {@code
 * {status, message}}.
 */
class ArgoCdHealthTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path ARGOCD = TestPaths.repoRoot().resolve("deploy/argocd");

  static Stream<HealthFixtures.Fixture> fixtures() {
    return HealthFixtures.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void healthMatchesTheStatusContract(HealthFixtures.Fixture fixture) throws IOException {
    String script =
        fixture.isPolicy() ? "health-secureworkloadpolicy.lua" : "health-secureworkload.lua";

    var health = run(script, fixture.file());

    assertThat(health.get("status").tojstring()).as("status").isEqualTo(fixture.argoCd());
    assertThat(health.get("message").tojstring()).as("message").contains(fixture.messagePart());
  }

  @Test
  void everyFixtureIsInTheTable() throws IOException {
    try (Stream<Path> files =
        Files.list(TestPaths.repoRoot().resolve("operator/src/test/resources/health"))) {
      assertThat(files.map(f -> f.getFileName().toString()).toList())
          .containsExactlyInAnyOrderElementsOf(
              HealthFixtures.ALL.stream().map(HealthFixtures.Fixture::file).toList());
    }
  }

  @Test
  void theArgoCdConfigMapCarriesTheScriptsUnchanged() throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> configMap =
        YAML.readValue(ARGOCD.resolve("argocd-cm.yaml").toFile(), Map.class);
    @SuppressWarnings("unchecked")
    var data = (Map<String, String>) configMap.get("data");

    assertThat(data)
        .containsEntry(
            "resource.customizations.health.secureworkload.io_SecureWorkload",
            Files.readString(ARGOCD.resolve("health-secureworkload.lua")))
        .containsEntry(
            "resource.customizations.health.secureworkload.io_SecureWorkloadPolicy",
            Files.readString(ARGOCD.resolve("health-secureworkloadpolicy.lua")));
  }

  /** Runs a health script on a fixture, as Argo CD does. */
  private static LuaValue run(String script, String fixture) throws IOException {
    Globals globals = JsePlatform.standardGlobals();
    try (InputStream in = ArgoCdHealthTest.class.getResourceAsStream("/health/" + fixture)) {
      assertThat(in).as("fixture %s", fixture).isNotNull();
      globals.set("obj", toLua(YAML.readValue(in, Object.class)));
    }
    var chunk = globals.load(Files.readString(ARGOCD.resolve(script)), script);
    return chunk.call();
  }

  /** JSON-like values as Lua values: objects and arrays become tables (arrays from 1). */
  private static LuaValue toLua(Object value) {
    if (value instanceof Map<?, ?> map) {
      var table = new LuaTable();
      map.forEach((k, v) -> table.set(String.valueOf(k), toLua(v)));
      return table;
    }
    if (value instanceof List<?> list) {
      var table = new LuaTable();
      for (int i = 0; i < list.size(); i++) {
        table.set(i + 1, toLua(list.get(i)));
      }
      return table;
    }
    if (value instanceof Number number) {
      // Argo CD decodes JSON numbers as floats.
      return LuaValue.valueOf(number.doubleValue());
    }
    if (value instanceof Boolean bool) {
      return LuaValue.valueOf(bool);
    }
    return value == null ? LuaValue.NIL : LuaValue.valueOf(String.valueOf(value));
  }
}
