package io.secureworkload.operator.guardrail;

import java.util.List;
import java.util.Optional;

/** The checks every ARN a tenant names goes through: role resources, secrets, KMS keys. */
final class ResourceRules {

  private ResourceRules() {}

  /**
   * @param allowedPatterns the policy's allow-list for this kind of ARN; null admits any ARN in an
   *     allowed account
   * @return whether the ARN passed
   */
  static boolean checkArn(
      FieldPath field,
      String arn,
      List<String> allowedPatterns,
      Rule notAllowed,
      PolicyRules policy,
      Placeholders placeholders,
      Findings findings) {
    if (ArnPattern.hasPolicyVariable(arn)) {
      findings.add(
          field,
          arn,
          Rule.POLICY_VARIABLE,
          "IAM policy variables (${...}) resolve per request and cannot be vetted; name the"
              + " resource",
          policy);
      return false;
    }
    var parsed = ArnPattern.parse(arn);
    if (parsed.isEmpty() || parsed.get().isEverything()) {
      findings.add(
          field,
          arn,
          Rule.INVALID_VALUE,
          "not an ARN of the form arn:partition:service:region:account:resource",
          policy);
      return false;
    }
    var pattern = parsed.get();
    if (!accountAllowed(pattern, policy, placeholders)) {
      findings.add(
          field,
          arn,
          Rule.FOREIGN_ACCOUNT,
          pattern.hasWildcardAccount()
              ? "a wildcard account may reach every account; name the account"
              : "account " + pattern.account() + " is not allowed here",
          policy);
      return false;
    }
    if (allowedPatterns != null && !within(pattern, allowedPatterns, placeholders)) {
      findings.add(
          field, arn, notAllowed, "not within the allowed patterns " + allowedPatterns, policy);
      return false;
    }
    return true;
  }

  /**
   * An ARN without an account (S3) passes here: the operator can only keep it in the account with
   * an aws:ResourceAccount condition (see {@link ResourceAccountCondition}).
   */
  static boolean accountAllowed(ArnPattern arn, PolicyRules policy, Placeholders placeholders) {
    if (arn.hasWildcardAccount()) {
      return false;
    }
    return arn.account().isEmpty()
        || policy.allowedAccounts().stream()
            .map(placeholders::substitute)
            .anyMatch(arn.account()::equals);
  }

  static boolean within(ArnPattern arn, List<String> allowedPatterns, Placeholders placeholders) {
    return allowedPatterns.stream()
        .map(pattern -> ArnPattern.parse(pattern, placeholders))
        .flatMap(Optional::stream)
        .anyMatch(allowed -> allowed.contains(arn));
  }
}
