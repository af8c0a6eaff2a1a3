package io.secureworkload.operator.guardrail;

import static io.secureworkload.operator.guardrail.Guardrails.effective;
import static io.secureworkload.operator.guardrail.Guardrails.evaluate;
import static io.secureworkload.operator.guardrail.Guardrails.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.testsupport.TestWorkloads;
import org.junit.jupiter.api.Test;

/**
 * Which identity mode a workload gets: the tenant asks, the Enforce policies allow and default; a
 * mode nobody allows, or Pod Identity for a role in another account, is never written.
 */
class IdentityRulesTest {

  private static final String POD_IDENTITY_ONLY =
      """
      identity:
        allowedModes: [PodIdentity]
      """;

  @Test
  void withoutPoliciesOnModesTheTenantChoosesAndIrsaIsTheDefault() {
    assertThat(mode("")).isEqualTo(IdentityMode.IRSA);
    assertThat(mode("identity: {mode: PodIdentity}")).isEqualTo(IdentityMode.PodIdentity);
  }

  @Test
  void aPolicyRequiringPodIdentityRefusesIrsaAtTheFieldAndDefaultsToPodIdentity() {
    var platform = policy("platform", POD_IDENTITY_ONLY);

    var verdict = evaluate("identity: {mode: IRSA}", platform);

    assertThat(verdict.enforced())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo(Rule.IDENTITY_MODE_NOT_ALLOWED);
              assertThat(v.field().toString()).isEqualTo("spec.identity.mode");
            });
    assertThat(mode("", platform)).isEqualTo(IdentityMode.PodIdentity);
    assertThat(
            SpecNarrowing.narrow(verdict.spec(), verdict.enforced()).spec().getIdentity().getMode())
        .as("narrowing drops the refused mode, so the policy's default applies")
        .isNull();
  }

  @Test
  void anAuditPolicyReportsAModeButNeitherRefusesNorRestrictsIt() {
    var audit = policy("audit", "mode: Audit\n" + POD_IDENTITY_ONLY);

    var verdict = evaluate("identity: {mode: IRSA}", audit);

    assertThat(verdict.blocks()).isFalse();
    assertThat(verdict.violations())
        .extracting(Violation::rule)
        .containsExactly(Rule.IDENTITY_MODE_NOT_ALLOWED);
    assertThat(effective(audit).allowedIdentityModes())
        .containsExactlyInAnyOrder(IdentityMode.IRSA, IdentityMode.PodIdentity);
  }

  @Test
  void theDefaultIsTheFirstEnforcePolicysThatEveryPolicyAllows() {
    var preferPodIdentity = policy("a", "identity: {defaultMode: PodIdentity}");
    var irsaOnly = policy("b", "identity: {allowedModes: [IRSA]}");

    assertThat(effective(preferPodIdentity).defaultIdentityMode(true))
        .contains(IdentityMode.PodIdentity);
    assertThat(effective(preferPodIdentity, irsaOnly).defaultIdentityMode(true))
        .contains(IdentityMode.IRSA);
  }

  @Test
  void podIdentityForARoleInAnotherAccountIsRefusedWhateverThePolicySays() {
    var elsewhere =
        Guardrails.context().toBuilder()
            .podIdentityUnavailable("the role lives in account 222222222222")
            .build();

    var asked = evaluate("identity: {mode: PodIdentity}", elsewhere);
    assertThat(asked.enforced())
        .extracting(Violation::rule)
        .containsExactly(Rule.IDENTITY_MODE_NOT_AVAILABLE);

    var required = evaluate("", elsewhere, policy("platform", POD_IDENTITY_ONLY));
    assertThat(required.enforced())
        .extracting(Violation::rule)
        .containsExactly(Rule.IDENTITY_MODE_CONFLICT);
    assertThat(
            IdentityRules.decide(
                required.spec(),
                effective(policy("platform", POD_IDENTITY_ONLY)),
                elsewhere,
                false,
                null))
        .as("no mode is written")
        .isEmpty();
  }

  @Test
  void whileTheSpecIsBlockedTheModeInEffectStays() {
    var spec = TestWorkloads.withSpec("identity: {mode: PodIdentity}").getSpec();

    assertThat(
            IdentityRules.decide(spec, effective(), Guardrails.context(), true, IdentityMode.IRSA))
        .contains(IdentityMode.IRSA);
    assertThat(
            IdentityRules.decide(
                spec,
                effective(policy("platform", POD_IDENTITY_ONLY)),
                Guardrails.context(),
                true,
                IdentityMode.IRSA))
        .as("unless the policies no longer allow it: the tightening reaches")
        .contains(IdentityMode.PodIdentity);
  }

  private static IdentityMode mode(
      String specYaml, io.secureworkload.operator.api.SecureWorkloadPolicy... policies) {
    var workload = TestWorkloads.withSpec(specYaml);
    return AdmissionDecision.decide(
            workload, effective(policies), Guardrails.context(), null, ExistingState::nothing, null)
        .identityMode();
  }
}
