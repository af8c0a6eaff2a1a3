package io.secureworkload.operator.reconciler;

import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.dependent.Admission;
import io.secureworkload.operator.guardrail.Verdict;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.PartOutcome;

/**
 * How a workload stands against its guardrails, as the GuardrailCompliant condition says it.
 *
 * @param enforced true when an enforced rule is broken: Ready is then False with the violations
 */
public record GuardrailStanding(PartOutcome condition, boolean enforced) {

  private static final int SHOWN = 5;

  static GuardrailStanding of(Admission.Decision decision) {
    var verdict = decision.verdict();
    var policies = String.join(", ", decision.policyNames());
    if (verdict.compliant()) {
      return new GuardrailStanding(
          PartOutcome.ready(
              ConditionReason.Compliant, "The spec is within the guardrails of " + policies),
          false);
    }
    if (verdict.blocks()) {
      var what =
          decision.roleRefused()
              ? "No IAM role is made and nothing is added until the spec is fixed; existing"
                  + " objects lose what the guardrails refuse: "
              : "The operator removed what the guardrails refuse from what exists; nothing is"
                  + " added or widened until the spec is fixed: ";
      if (!decision.keptRefusedGroups().isEmpty()) {
        what =
            "The refused security groups "
                + String.join(", ", decision.keptRefusedGroups())
                + " stay on the pods, since they have no other and no policy names a"
                + " fallbackGroupId; "
                + what;
      }
      return new GuardrailStanding(
          new PartOutcome(
              Condition.FALSE,
              ConditionReason.GuardrailViolation,
              what + Verdict.summary(verdict.enforced(), SHOWN),
              true),
          true);
    }
    return new GuardrailStanding(
        new PartOutcome(
            Condition.FALSE,
            ConditionReason.GuardrailAudit,
            "Audit only, nothing is blocked; an enforced policy would refuse: "
                + Verdict.summary(verdict.audited(), SHOWN),
            false),
        false);
  }
}
