package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What may be written for a workload, and why: the one decision every dependent builds from. A pure
 * function of the workload, the policies that govern its namespace, a few facts about the cluster
 * and what exists now; it calls nothing and writes nothing.
 *
 * <p>A compliant spec, or one whose violations are only audited, is written as it is. While an
 * enforced violation remains, the workload keeps what exists minus what the policies refuse (see
 * {@link Tightening}): a tightening reaches its role and children whatever else is wrong with the
 * spec, nothing is widened, and a role that does not exist is not made.
 *
 * @param spec what the dependents write
 * @param inlinePolicy the role's inline policy exactly as it is sent, null for none
 * @param permissionsBoundaryArn the boundary the role gets, null for none
 * @param roleRefused an enforced violation remains and the workload has no role: none is made
 * @param keptRefusedGroups refused security groups that stay, since the pods would otherwise lose
 *     every group and no policy names a fallback group
 * @param identityMode how the pods get the role's credentials; null when no mode is allowed (the
 *     conflict blocks)
 */
public record AdmissionDecision(
    SecureWorkloadSpec spec,
    Verdict verdict,
    String inlinePolicy,
    String permissionsBoundaryArn,
    boolean roleRefused,
    List<String> keptRefusedGroups,
    IdentityMode identityMode) {

  private static final String[] GROUP_IDS = {"spec", "securityGroups", "groupIds"};

  public AdmissionDecision {
    keptRefusedGroups = List.copyOf(keptRefusedGroups);
  }

  /**
   * @param operatorBoundaryArn the operator's own boundary setting, for when no policy names one
   * @param existing what exists now; asked for only while an enforced violation remains
   */
  public static AdmissionDecision decide(
      SecureWorkload workload,
      EffectivePolicy policy,
      GuardrailContext context,
      String operatorBoundaryArn,
      Supplier<ExistingState> existing) {
    return decide(workload, policy, context, operatorBoundaryArn, existing, null);
  }

  /**
   * @param currentMode the identity mode in effect, null for a workload that has none yet: a switch
   *     waits while the spec is blocked
   */
  public static AdmissionDecision decide(
      SecureWorkload workload,
      EffectivePolicy policy,
      GuardrailContext context,
      String operatorBoundaryArn,
      Supplier<ExistingState> existing,
      IdentityMode currentMode) {
    var verdict = GuardrailEvaluator.evaluate(workload, policy, context);
    var placeholders = context.placeholders();
    var policyBoundary = policy.permissionsBoundaryArn(placeholders);
    if (!verdict.blocks()) {
      return new AdmissionDecision(
          verdict.spec(),
          verdict,
          verdict.inlinePolicy(),
          policyBoundary.orElse(operatorBoundaryArn),
          false,
          List.of(),
          IdentityRules.decide(verdict.spec(), policy, context, false, currentMode).orElse(null));
    }
    var now = existing.get();
    var narrowed = verdict.narrowed().spec();
    var tightened =
        Tightening.apply(
            narrowed,
            verdict.inlinePolicy(),
            now,
            refusedGroups(verdict),
            policy.fallbackSecurityGroupId().orElse(null));
    boolean boundaryConflict = policy.permissionsBoundaries(placeholders).size() > 1;
    String boundary;
    if (boundaryConflict) {
      // Never picked between the two: the role keeps the one it has until the platform decides.
      boundary = now.roleExists() ? now.role().permissionsBoundaryArn() : null;
    } else {
      boundary = policyBoundary.orElse(operatorBoundaryArn);
    }
    return new AdmissionDecision(
        tightened.spec(),
        verdict,
        tightened.inlinePolicy(),
        boundary,
        !now.roleExists(),
        tightened.keptRefusedGroups(),
        IdentityRules.decide(tightened.spec(), policy, context, true, currentMode).orElse(null));
  }

  /** Whether what is written differs from the spec: something was refused or held back. */
  public boolean blocks() {
    return verdict.blocks();
  }

  private static Set<String> refusedGroups(Verdict verdict) {
    var groups =
        Optional.ofNullable(verdict.spec().getSecurityGroups())
            .map(g -> g.getGroupIds())
            .orElse(List.of());
    var refused = new HashSet<String>();
    for (var violation : verdict.enforced()) {
      violation
          .field()
          .indexAfter(GROUP_IDS)
          .filter(i -> i < groups.size())
          .ifPresent(i -> refused.add(groups.get(i)));
    }
    return refused;
  }
}
