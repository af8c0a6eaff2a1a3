package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.IamSpec;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import java.util.List;
import java.util.Optional;

/**
 * IAM's own limits, checked before any AWS call: AWS would refuse the call, possibly halfway
 * through (a role created, its policy refused), and an emulator might not refuse it at all.
 */
public final class IamLimits {

  /** The source violations of these limits name in place of a policy. */
  public static final String SOURCE = "IAM quotas";

  public static final int MAX_ROLE_NAME_LENGTH = 64;
  public static final int MAX_INLINE_POLICY_CHARACTERS = 10_240;
  public static final int MAX_TAGS_PER_ROLE = 50;
  public static final int MIN_SESSION_DURATION_SECONDS = 3600;
  public static final int MAX_SESSION_DURATION_SECONDS = 43_200;

  private IamLimits() {}

  /** The length of a policy document as IAM counts it: whitespace does not count. */
  public static int countedLength(String document) {
    int counted = 0;
    for (int i = 0; i < document.length(); ) {
      int c = document.codePointAt(i);
      if (!Character.isWhitespace(c)) {
        counted++;
      }
      i += Character.charCount(c);
    }
    return counted;
  }

  /**
   * @param inlinePolicy the inline policy exactly as it will be sent ({@link WrittenPolicy}), null
   *     for none
   */
  public static List<Violation> check(
      SecureWorkloadSpec spec, String inlinePolicy, GuardrailContext context) {
    var findings = new Findings();
    check(spec, inlinePolicy, context, findings);
    return findings.list();
  }

  static void check(
      SecureWorkloadSpec spec, String inline, GuardrailContext context, Findings findings) {
    var iam = Optional.ofNullable(spec.getIam()).orElseGet(IamSpec::new);
    if (context.roleName() != null && context.roleName().length() > MAX_ROLE_NAME_LENGTH) {
      exceeded(
          findings,
          FieldPath.of("metadata", "name"),
          context.roleName(),
          Rule.ROLE_NAME_TOO_LONG,
          MAX_ROLE_NAME_LENGTH,
          context.roleName().length(),
          "characters in the role name");
    }
    if (inline != null && countedLength(inline) > MAX_INLINE_POLICY_CHARACTERS) {
      exceeded(
          findings,
          IamRules.STATEMENTS,
          countedLength(inline) + " characters",
          Rule.INLINE_POLICY_TOO_LARGE,
          MAX_INLINE_POLICY_CHARACTERS,
          countedLength(inline),
          "characters (without whitespace) in the inline policy as it is sent: actions expanded,"
              + " the operator's conditions and secret access included");
    }
    if (context.trustPolicy() != null
        && countedLength(context.trustPolicy()) > context.maxTrustPolicyCharacters()) {
      exceeded(
          findings,
          FieldPath.of("spec", "serviceAccount"),
          countedLength(context.trustPolicy()) + " characters",
          Rule.TRUST_POLICY_TOO_LARGE,
          context.maxTrustPolicyCharacters(),
          countedLength(context.trustPolicy()),
          "characters (without whitespace) in the trust policy");
    }
    int managed = Optional.ofNullable(iam.getManagedPolicyArns()).map(List::size).orElse(0);
    if (managed > context.maxManagedPoliciesPerRole()) {
      exceeded(
          findings,
          IamRules.IAM.child("managedPolicyArns"),
          managed + " policies",
          Rule.TOO_MANY_MANAGED_POLICIES,
          context.maxManagedPoliciesPerRole(),
          managed,
          "managed policies per role");
    }
    if (context.tagCount() > MAX_TAGS_PER_ROLE) {
      exceeded(
          findings,
          FieldPath.of("metadata"),
          context.tagCount() + " tags",
          Rule.TOO_MANY_TAGS,
          MAX_TAGS_PER_ROLE,
          context.tagCount(),
          "tags per role");
    }
    int session =
        Optional.ofNullable(iam.getMaxSessionDurationSeconds())
            .orElse(IamSpec.DEFAULT_MAX_SESSION_DURATION_SECONDS);
    if (session < MIN_SESSION_DURATION_SECONDS || session > MAX_SESSION_DURATION_SECONDS) {
      findings.addAlwaysEnforced(
          IamRules.IAM.child("maxSessionDurationSeconds"),
          String.valueOf(session),
          Rule.SESSION_DURATION_OUT_OF_RANGE,
          "IAM allows "
              + MIN_SESSION_DURATION_SECONDS
              + " to "
              + MAX_SESSION_DURATION_SECONDS
              + " seconds",
          SOURCE);
    }
  }

  private static void exceeded(
      Findings findings,
      FieldPath field,
      String badValue,
      Rule rule,
      int limit,
      int actual,
      String what) {
    findings.addAlwaysEnforced(
        field, badValue, rule, actual + " " + what + "; IAM allows at most " + limit, SOURCE);
  }
}
