package io.secureworkload.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.testsupport.HelmChart;
import io.secureworkload.operator.testsupport.TestPaths;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One source for the operator's settings: every {@code SW_*} variable the operator reads
 * (OperatorSettings' constants) is a chart value, checked by the schema, passed to the pod, and
 * explained in the README's configuration table; and the chart passes nothing the table does not
 * explain.
 */
class SettingsSingleSourceTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern README_ROW = Pattern.compile("(?m)^\\| `(SW_[A-Z0-9_]+)` \\|");

  @Test
  void everySettingIsAValueCheckedByTheSchemaPassedToThePodAndDocumented() throws IOException {
    Set<String> settings = operatorSettings();
    String valuesText = Files.readString(HelmChart.dir().resolve("values.yaml"));
    String schemaText = Files.readString(HelmChart.dir().resolve("values.schema.json"));
    Set<String> readmeRows = readmeRows();
    Set<String> passed = renderedSwEnv();

    assertThat(settings).as("SW_ constants in OperatorSettings").isNotEmpty();
    for (String setting : settings) {
      assertThat(valuesText).as("values.yaml names %s", setting).contains(setting);
      assertThat(schemaText).as("values.schema.json names %s", setting).contains(setting);
      assertThat(readmeRows)
          .as("README configuration table has a row for %s", setting)
          .contains(setting);
      assertThat(passed).as("the Deployment passes %s to the operator", setting).contains(setting);
    }
  }

  @Test
  void theChartsSettingsMapHoldsOnlyRealSettingsAndTheSchemaChecksEachOfThem() throws IOException {
    Set<String> settings = operatorSettings();
    Set<String> valuesKeys =
        keys(YAML.readTree(HelmChart.dir().resolve("values.yaml").toFile()).path("settings"));
    Set<String> schemaKeys =
        keys(
            JSON.readTree(HelmChart.dir().resolve("values.schema.json").toFile())
                .path("properties")
                .path("settings")
                .path("properties"));

    assertThat(settings).containsAll(valuesKeys);
    assertThat(schemaKeys).isEqualTo(valuesKeys);
  }

  @Test
  void theChartPassesNoVariableTheReadmeDoesNotExplain() throws IOException {
    assertThat(readmeRows()).containsAll(renderedSwEnv());
  }

  /** Every SW_ variable the chart can pass, rendered from a values file that sets every option. */
  private static Set<String> renderedSwEnv() {
    var deployment =
        HelmChart.single(
            HelmChart.render(
                HelmChart.ciValues("service-monitor-values.yaml"),
                java.util.Map.of("watchNamespaces[0]", "team-a")),
            Deployment.class);
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .map(EnvVar::getName)
        .filter(name -> name.startsWith("SW_"))
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static Set<String> operatorSettings() {
    return Arrays.stream(OperatorSettings.class.getDeclaredFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .map(SettingsSingleSourceTest::value)
        .filter(v -> v.startsWith("SW_"))
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static Set<String> readmeRows() throws IOException {
    String readme = Files.readString(TestPaths.repoRoot().resolve("README.md"));
    int start = readme.indexOf("## Configuration");
    assertThat(start).as("README has a Configuration section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    return README_ROW.matcher(section).results().map(m -> m.group(1)).collect(Collectors.toSet());
  }

  private static Set<String> keys(JsonNode node) {
    var keys = new LinkedHashSet<String>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  private static String value(Field field) {
    try {
      field.setAccessible(true);
      return (String) field.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
