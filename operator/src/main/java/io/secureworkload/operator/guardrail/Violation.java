package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.SecureWorkloadPolicySpec.Mode;

/**
 * One broken rule, like apimachinery's field.Error: where, what value, which rule, why, and which
 * policy holds the rule ({@code default} for the built-ins, {@link IamLimits#SOURCE} for IAM's own
 * limits).
 *
 * @param mode Audit when only an Audit policy holds the rule: reported, never blocking
 */
public record Violation(
    FieldPath field, String badValue, Rule rule, String detail, String policy, Mode mode) {

  public boolean enforced() {
    return mode == Mode.Enforce;
  }

  /**
   * {@code spec.iam.statements[1].actions[0]: "iam:*": action overlaps the built-in escalation
   * floor (iam:*) [policy default]} — names only the tenant's own values and the policy.
   */
  public String message() {
    return field + ": \"" + badValue + "\": " + detail + " [policy " + policy + "]";
  }

  @Override
  public String toString() {
    return message();
  }
}
