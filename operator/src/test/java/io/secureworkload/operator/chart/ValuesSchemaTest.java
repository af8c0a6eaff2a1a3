package io.secureworkload.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secureworkload.operator.testsupport.HelmChart;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * values.schema.json, as Helm applies it: bad values stop the install with a message naming them.
 */
class ValuesSchemaTest {

  private static final Path COMPLETE = HelmChart.ciValues("default-values.yaml");

  @Test
  void theBareDefaultsAreRejectedNamingEachMissingSetting() {
    assertThatThrownBy(() -> HelmChart.template(null, Map.of()))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("SW_CLUSTER_NAME")
        .hasMessageContaining("SW_OIDC_ISSUER_URL")
        .hasMessageContaining("SW_AWS_REGION");
  }

  @ParameterizedTest(name = "{0} alone missing")
  @CsvSource({"SW_CLUSTER_NAME", "SW_OIDC_ISSUER_URL", "SW_AWS_REGION"})
  void eachRequiredSettingIsNamedWhenItAloneIsMissing(String setting) {
    assertThatThrownBy(() -> HelmChart.template(COMPLETE, Map.of("settings." + setting, "")))
        .hasMessageContaining(setting)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .as("names no other required setting")
                    .doesNotContain(
                        java.util.stream.Stream.of(
                                "SW_CLUSTER_NAME", "SW_OIDC_ISSUER_URL", "SW_AWS_REGION")
                            .filter(s -> !s.equals(setting))
                            .toArray(String[]::new)));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // wrong types
        "replicaCount | two | replicaCount",
        "leaderElection.enabled | maybe | enabled",
        "settings.SW_METRICS_PORT | 0 | SW_METRICS_PORT",
        "settings.SW_MAX_CONCURRENT_RECONCILIATIONS | -1 | SW_MAX_CONCURRENT_RECONCILIATIONS",
        "settings.SW_RESYNC_PERIOD | 1 day | SW_RESYNC_PERIOD",
        "settings.SW_AWS_REGION | Europe | SW_AWS_REGION",
        "settings.SW_OIDC_ISSUER_URL | http://oidc.example.com | SW_OIDC_ISSUER_URL",
        "settings.SW_EKS_CLUSTER_NAME | -prod | SW_EKS_CLUSTER_NAME",
        "settings.SW_EKS_ENDPOINT | ftp://localhost | SW_EKS_ENDPOINT",
        "settings.SW_EKS_REQUESTS_PER_SECOND | fast | SW_EKS_REQUESTS_PER_SECOND",
        "settings.SW_POD_IDENTITY_ASSOCIATION_QUOTA | 0 | SW_POD_IDENTITY_ASSOCIATION_QUOTA",
        "watchNamespaces | Payments | watchNamespaces",
        // unknown keys
        "settings.SW_CLUSTERNAME | typo | SW_CLUSTERNAME",
        "replicas | 3 | replicas",
        "securityContext.privileged | true | securityContext",
        "podSecurityContext.runAsUser | 0 | runAsUser",
        // an SW_ setting slipped in past the schema
        "extraEnv[0].name | SW_CLUSTER_NAME | name",
        // two replicas would fight without a Lease
        "leaderElection.enabled | false | replicaCount",
        // the default policy: one mode value, and selectors it would not use
        "defaultPolicy.mode | enforce | mode",
        "defaultPolicy.spec.mode | Audit | mode",
        "defaultPolicy.spec.namespaces[0] | payments | namespaces",
        "defaultPolicy.spec.namespaceSelector.matchLabels.team | a | namespaceSelector",
        "defaultPolicy.name | Default | name",
      })
  void badValuesAreRejectedNamingTheValue(String key, String value, String named) {
    assertThatThrownBy(() -> HelmChart.template(COMPLETE, Map.of(key, value)))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(named);
  }

  @Test
  void numbersAreAcceptedWhereTheOperatorReadsNumbers() {
    var rendered =
        HelmChart.template(
            COMPLETE,
            Map.of(
                "settings.SW_METRICS_PORT", 9090,
                "settings.SW_MAX_CONCURRENT_RECONCILIATIONS", 3));

    assertThat(rendered).contains("value: \"9090\"").contains("containerPort: 9090");
  }
}
