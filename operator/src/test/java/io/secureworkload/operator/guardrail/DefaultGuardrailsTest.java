package io.secureworkload.operator.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.api.GuardrailPatterns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DefaultGuardrailsTest {

  static java.util.stream.Stream<String> floor() {
    return DefaultGuardrails.escalationFloor().stream();
  }

  @ParameterizedTest
  @MethodSource("floor")
  void everyFloorEntryIsAnActionPatternThePolicySchemaAccepts(String action) {
    assertThat(action).matches(GuardrailPatterns.ACTION_PATTERN.replace("^", "").replace("$", ""));
  }

  @Test
  void theFloorNamesEachActionOnce() {
    assertThat(DefaultGuardrails.escalationFloor()).doesNotHaveDuplicates();
  }

  @Test
  void everyGroupCitesItsSource() {
    assertThat(DefaultGuardrails.ESCALATION_FLOOR)
        .allSatisfy(group -> assertThat(group.source()).isNotBlank());
  }

  @Test
  void theMetadataAddressesAreCidrBlocks() {
    assertThat(DefaultGuardrails.METADATA_CIDRS)
        .allSatisfy(cidr -> assertThat(CidrBlock.parse(cidr)).isPresent());
  }

  @Test
  void theDefaultPolicySelectsEveryNamespaceAndEnforces() {
    var policy = DefaultGuardrails.policy();

    assertThat(policy.getMetadata().getName()).isEqualTo(DefaultGuardrails.DEFAULT_POLICY_NAME);
    assertThat(PolicySelection.selects(policy, "anything", java.util.Map.of())).isTrue();
    assertThat(PolicyRules.of(policy).enforced()).isTrue();
  }
}
