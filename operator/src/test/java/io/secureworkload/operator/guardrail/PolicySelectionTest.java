package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicySelectionTest {

  private static final Map<String, String> TENANT_LABELS =
      Map.of("tenant", "payments", "tier", "prod");

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "namespaceSelector: {}|true",
        "namespaceSelector: {matchLabels: {tenant: payments}}|true",
        "namespaceSelector: {matchLabels: {tenant: payments, tier: dev}}|false",
        "namespaceSelector: {matchExpressions: [{key: tier, operator: In, values: [prod, staging]}]}|true",
        "namespaceSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [prod]}]}|false",
        "namespaceSelector: {matchExpressions: [{key: pci, operator: NotIn, values: ['yes']}]}|true",
        "namespaceSelector: {matchExpressions: [{key: tenant, operator: Exists}]}|true",
        "namespaceSelector: {matchExpressions: [{key: tenant, operator: DoesNotExist}]}|false",
        "namespaceSelector: {matchExpressions: [{key: tenant, operator: Typo}]}|false",
        "namespaces: [payments]|true",
        "namespaces: [billing]|false",
        "{namespaces: [billing], namespaceSelector: {matchLabels: {tier: prod}}}|true",
      })
  void selectsByNameOrByLabels(String specYaml, boolean expected) {
    assertThat(PolicySelection.selects(policy(specYaml), "payments", TENANT_LABELS))
        .isEqualTo(expected);
  }

  @Test
  void matchingKeepsTheOrderGiven() {
    var all = policy("namespaceSelector: {}");
    var byName = policy("namespaces: [payments]");
    var other = policy("namespaces: [billing]");

    assertThat(PolicySelection.matching(List.of(byName, other, all), "payments", Map.of()))
        .containsExactly(byName, all);
  }

  private static SecureWorkloadPolicy policy(String specYaml) {
    return Serialization.unmarshal(
        "apiVersion: secureworkload.io/v1alpha1\nkind: SecureWorkloadPolicy\n"
            + "metadata: {name: p}\nspec:\n"
            + specYaml.indent(2),
        SecureWorkloadPolicy.class);
  }
}
