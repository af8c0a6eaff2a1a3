package io.secureworkload.operator.api;

/**
 * Regular expressions of the {@link SecureWorkloadPolicy} schema. Like {@link Patterns}, they use
 * character classes instead of backslash escapes so that one string is valid in OpenAPI and Java.
 */
public final class GuardrailPatterns {

  /**
   * An IAM action pattern of a policy: {@code *}, or service and action, each may hold {@code *}
   * and {@code ?} (a policy may say {@code *:Describe*}, which IAM itself would not accept).
   */
  public static final String ACTION_PATTERN = "^([*]|[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+)$";

  /** One IAM action, named in full: the audited opt-out admits no wildcards. */
  public static final String ACTION_NAME = "^[A-Za-z0-9-]+:[A-Za-z0-9]+$";

  /**
   * An ARN pattern: {@code *}, or six colon-separated segments (the resource may hold more colons);
   * wildcards and the placeholders {@code ${namespace}}, {@code ${account}}, {@code ${region}},
   * {@code ${partition}} anywhere.
   */
  public static final String ARN_PATTERN = "^([*]|arn:[^:]*:[^:]*:[^:]*:[^:]*:.+)$";

  /** A twelve-digit account id, or the operator's own account as a placeholder. */
  public static final String ACCOUNT = "^([0-9]{12}|[$][{]account[}])$";

  /** A permissions boundary: a managed policy ARN, partition and account may be placeholders. */
  public static final String BOUNDARY_ARN =
      "^arn:([$][{]partition[}]|aws[a-z-]*):iam::([0-9]{12}|[$][{]account[}]):policy/[A-Za-z0-9+=,.@/_-]+$";

  /** A secret or parameter name pattern, for example {@code ${namespace}/*}. */
  public static final String SECRET_NAME_PATTERN = "^[A-Za-z0-9/_+=.@:*?${}-]+$";

  /** A security group id pattern, for example {@code sg-0123456789abcdef0} or {@code sg-*}. */
  public static final String SECURITY_GROUP_PATTERN = "^([*]|sg-[0-9a-f*?]+)$";

  private GuardrailPatterns() {}
}
