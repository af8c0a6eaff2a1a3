package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import java.util.Arrays;
import java.util.HashMap;
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

  /**
   * The policies a cluster may hold, by name. {@code marked} and {@code marked-audit} carry the
   * default mark; {@code marked} names a namespace of its own, which must change nothing.
   */
  private static final Map<String, SecureWorkloadPolicy> CLUSTER =
      Map.of(
          "team", named("team", "", "namespaces: [payments]"),
          "trial", named("trial", "", "namespaces: [payments]\nmode: Audit"),
          "pci", named("pci", "", "namespaceSelector: {matchLabels: {pci: 'true'}}"),
          "marked", named("marked", "true", "namespaces: [elsewhere]"),
          "marked-audit", named("marked-audit", "true", "namespaceSelector: {}\nmode: Audit"),
          "unmarked", named("unmarked", "false", "namespaces: [payments]"));

  /** The namespaces of the table and their labels. */
  private static final Map<String, Map<String, String>> NAMESPACES =
      Map.of(
          "payments", Map.of("tier", "prod"), "billing", Map.of(), "cards", Map.of("pci", "true"));

  @ParameterizedTest(name = "[{0}] in {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // No policy marked: the built-in default, as before
        "'' | payments | default",
        "team | payments | team",
        "team | billing | default",
        // An Audit trial does not take the default's enforcement away
        "trial | payments | trial, default",
        "team, trial | payments | team, trial",
        // A marked default replaces the built-in one, whatever its own selectors say
        "marked | payments | marked",
        "marked | elsewhere | marked",
        "team, marked | payments | team",
        "team, marked | billing | marked",
        "trial, marked | payments | trial, marked",
        "pci, marked | cards | pci",
        "pci, marked | payments | marked",
        // Several marked defaults all govern, by name; an Audit one is still the default
        "marked-audit, marked | billing | marked, marked-audit",
        "marked-audit | billing | marked-audit",
        "team, marked-audit | payments | team",
        // Only the value "true" marks a policy
        "unmarked | payments | unmarked",
        "unmarked | billing | default",
      })
  void theDefaultGovernsWhatNoEnforcedPolicySelects(
      String present, String namespace, String expected) {
    var governing =
        PolicySelection.governing(
            cluster(present), namespace, labelsOf(namespace), DefaultGuardrails.policy());

    assertThat(governing)
        .extracting(p -> p.getMetadata().getName())
        .containsExactly(expected.split(",\\s*"));
  }

  /** What a policy's status counts agrees with what governs the workloads, for every policy. */
  @ParameterizedTest(name = "[{0}] in {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "team, trial, pci, marked, marked-audit, unmarked | payments",
        "team, trial, pci, marked, marked-audit, unmarked | billing",
        "team, trial, pci, marked, marked-audit, unmarked | cards",
        "trial, marked, marked-audit | payments",
        "pci, marked | elsewhere",
      })
  void aPolicyGovernsANamespaceExactlyWhenItIsAmongItsGoverningPolicies(
      String present, String namespace) {
    var policies = cluster(present);
    var governing =
        PolicySelection.governing(
            policies, namespace, labelsOf(namespace), DefaultGuardrails.policy());

    assertThat(policies)
        .allSatisfy(
            policy ->
                assertThat(
                        PolicySelection.governs(policy, policies, namespace, labelsOf(namespace)))
                    .as(policy.getMetadata().getName())
                    .isEqualTo(governing.contains(policy)));
  }

  @Test
  void matchingLeavesMarkedDefaultsOut() {
    var policies = cluster("team, marked, marked-audit");

    assertThat(PolicySelection.matching(policies, "payments", Map.of()))
        .containsExactly(CLUSTER.get("team"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a new generation | 2 | false | true",
        "the mark given | 1 | true | true",
        "only the status or another label | 1 | false | false",
      })
  void anUpdateChangesGovernanceWithANewSpecOrTheMark(
      String what, long generation, boolean marked, boolean changed) {
    var old = named("p", null, "namespaces: [payments]");
    old.getMetadata().setGeneration(1L);
    var updated = named("p", marked ? "true" : null, "namespaces: [payments]");
    updated.getMetadata().setGeneration(generation);
    updated.getMetadata().getLabels().put("team", "platform");

    assertThat(PolicySelection.governanceChanged(updated, old)).isEqualTo(changed);
    assertThat(PolicySelection.governanceChanged(old, updated)).isEqualTo(changed);
  }

  private static List<SecureWorkloadPolicy> cluster(String names) {
    return Arrays.stream(names.split(","))
        .map(String::strip)
        .filter(name -> !name.isEmpty())
        .map(CLUSTER::get)
        .toList();
  }

  private static Map<String, String> labelsOf(String namespace) {
    return NAMESPACES.getOrDefault(namespace, Map.of());
  }

  /** A policy with this spec; {@code mark} is the default-policy label's value, null for none. */
  private static SecureWorkloadPolicy named(String name, String mark, String specYaml) {
    var policy = policy(specYaml);
    policy.getMetadata().setName(name);
    var labels = new HashMap<String, String>();
    if (mark != null && !mark.isEmpty()) {
      labels.put(PolicySelection.DEFAULT_POLICY_LABEL, mark);
    }
    policy.getMetadata().setLabels(labels);
    return policy;
  }

  private static SecureWorkloadPolicy policy(String specYaml) {
    return Serialization.unmarshal(
        "apiVersion: secureworkload.io/v1alpha1\nkind: SecureWorkloadPolicy\n"
            + "metadata: {name: p}\nspec:\n"
            + specYaml.indent(2),
        SecureWorkloadPolicy.class);
  }
}
