package io.secureworkload.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.guardrail.DefaultGuardrails;
import io.secureworkload.operator.guardrail.PolicySelection;
import io.secureworkload.operator.testsupport.HelmChart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's default SecureWorkloadPolicy is the operator's built-in default: rendered with the
 * default values, its spec (mode included) is {@link DefaultGuardrails#policy()}'s, compared as
 * JSON after fabric8's serialization. {@code make default-policy} runs this test with {@code
 * -Ddocs.update=true}, which first writes the generated block of values.yaml from
 * DefaultGuardrails.
 */
class DefaultPolicyValuesUpToDateTest {

  static final String BEGIN = "# BEGIN generated default policy";
  static final String END = "# END generated default policy";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  /** Before any test of the class renders the chart, so that one run writes and checks. */
  @BeforeAll
  static void updateWhenAsked() throws IOException {
    if (Boolean.getBoolean("docs.update")) {
      Path values = HelmChart.dir().resolve("values.yaml");
      Files.writeString(values, withGeneratedBlock(Files.readString(values)));
    }
  }

  @Test
  void theChartsDefaultPolicyIsTheBuiltInDefault() {
    var rendered = defaultPolicy(Map.of());

    assertThat(rendered.path("metadata").path("name").asText())
        .isEqualTo(DefaultGuardrails.DEFAULT_POLICY_NAME);
    assertThat(rendered.path("spec"))
        .as(
            "the chart's defaultPolicy (values.yaml, mode included) is the built-in default:"
                + " run `make default-policy` and commit values.yaml")
        .isEqualTo(
            SERIALIZATION.convertValue(DefaultGuardrails.policy().getSpec(), JsonNode.class));
  }

  @Test
  void theGeneratedBlockIsWhereMakeDefaultPolicyWritesIt() throws IOException {
    var text = Files.readString(HelmChart.dir().resolve("values.yaml"));

    assertThat(text.split(BEGIN, -1)).as("one %s line in values.yaml", BEGIN).hasSize(2);
    assertThat(text.split(END, -1)).as("one %s line in values.yaml", END).hasSize(2);
    assertThat(withGeneratedBlock(text))
        .as("values.yaml's generated block: run `make default-policy` and commit values.yaml")
        .isEqualTo(text);
  }

  @Test
  void theModeIsOneValueForThePolicyAndTheBuiltInDefault() {
    assertThat(defaultPolicy(Map.of()).path("spec").path("mode").asText()).isEqualTo("Enforce");
    assertThat(modeVariable(Map.of())).isEqualTo("Enforce");

    var audit = Map.<String, Object>of("defaultPolicy.mode", "Audit");
    assertThat(defaultPolicy(audit).path("spec").path("mode").asText()).isEqualTo("Audit");
    assertThat(modeVariable(audit)).isEqualTo("Audit");

    var disabled =
        Map.<String, Object>of("defaultPolicy.enabled", false, "defaultPolicy.mode", "Audit");
    assertThat(documents(disabled))
        .noneMatch(o -> o.path("kind").asText().equals("SecureWorkloadPolicy"));
    assertThat(modeVariable(disabled))
        .as("without the policy, the built-in default still takes the mode")
        .isEqualTo("Audit");
  }

  @Test
  void aFieldSetThroughValuesChangesOnlyThatField() {
    var edited =
        defaultPolicy(
            Map.of(
                "defaultPolicy.name",
                "platform-default",
                "defaultPolicy.spec.limits.maxWorkloadsPerNamespace",
                20));
    var builtIn =
        (ObjectNode) SERIALIZATION.convertValue(DefaultGuardrails.policy(), JsonNode.class);
    ((ObjectNode) builtIn.path("spec").path("limits")).put("maxWorkloadsPerNamespace", 20);

    assertThat(edited.path("metadata").path("name").asText()).isEqualTo("platform-default");
    assertThat(edited.path("spec")).isEqualTo(builtIn.path("spec"));
  }

  /** values.yaml with the lines between the markers replaced by the built-in default's spec. */
  static String withGeneratedBlock(String valuesYaml) {
    var lines = valuesYaml.lines().toList();
    int begin = indexOf(lines, BEGIN);
    int end = indexOf(lines, END);
    assertThat(begin).as("values.yaml has %s before %s", BEGIN, END).isLessThan(end);
    var indent = lines.get(begin).substring(0, lines.get(begin).indexOf('#'));
    var result = new ArrayList<>(lines.subList(0, begin + 1));
    generatedSpec().lines().forEach(line -> result.add(indent + line));
    result.addAll(lines.subList(end, lines.size()));
    return String.join("\n", result) + (valuesYaml.endsWith("\n") ? "\n" : "");
  }

  /** The built-in default's spec as values.yaml holds it: without mode, which has its own value. */
  private static String generatedSpec() {
    var spec =
        (ObjectNode)
            SERIALIZATION.convertValue(DefaultGuardrails.policy().getSpec(), JsonNode.class);
    spec.remove("mode");
    try {
      return YAML.writeValueAsString(YAML.createObjectNode().set("spec", spec));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int indexOf(List<String> lines, String marker) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(marker)) {
        return i;
      }
    }
    throw new AssertionError("values.yaml has no line " + marker);
  }

  /** The one marked default the chart renders with the complete install's values and these. */
  private static JsonNode defaultPolicy(Map<String, Object> sets) {
    var policies =
        documents(sets).stream()
            .filter(o -> o.path("kind").asText().equals("SecureWorkloadPolicy"))
            .filter(
                o ->
                    o.path("metadata")
                        .path("labels")
                        .path(PolicySelection.DEFAULT_POLICY_LABEL)
                        .asText()
                        .equals("true"))
            .toList();
    assertThat(policies).as("the chart renders one marked default policy").hasSize(1);
    return policies.get(0);
  }

  /**
   * The rendered objects, untyped as Helm wrote them: a misspelt field in values.yaml stays
   * visible, where the typed model would drop it.
   */
  private static List<JsonNode> documents(Map<String, Object> sets) {
    var manifests = HelmChart.template(HelmChart.ciValues("default-values.yaml"), sets);
    var documents = new ArrayList<JsonNode>();
    for (String document : manifests.split("(?m)^---\\s*$")) {
      try {
        var node = YAML.readTree(document);
        if (node != null && node.isObject()) {
          documents.add(node);
        }
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return documents;
  }

  private static String modeVariable(Map<String, Object> sets) {
    var deployment =
        HelmChart.single(
            HelmChart.render(HelmChart.ciValues("default-values.yaml"), sets), Deployment.class);
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(OperatorSettings.DEFAULT_POLICY_MODE))
        .map(EnvVar::getValue)
        .findFirst()
        .orElse(null);
  }
}
