package io.secureworkload.operator.guardrail;

/** Every kind of guardrail violation: a closed set, as apimachinery's field.ErrorType is. */
public enum Rule {
  ESCALATION_ACTION("action grants an action of the built-in escalation floor"),
  UNKNOWN_ACTION("action pattern grants no action of AWS's action catalogue"),
  ACTION_DENIED("action grants a denied action"),
  ACTION_NOT_ALLOWED("action not within the allowed actions"),
  WILDCARD_RESOURCE("Resource \"*\" for an action that may not use it"),
  RESOURCE_NOT_ALLOWED("resource not within the allowed resources"),
  RESOURCE_TYPE_MISMATCH("resource is of no type the statement's actions act on"),
  FOREIGN_ACCOUNT("ARN names an account that is not allowed"),
  POLICY_VARIABLE("IAM policy variables are not allowed in tenant ARNs"),
  INVALID_VALUE("value cannot be vetted"),
  VALUE_NOT_ALLOWED("value another controller acts on is not on its allow-list"),
  OPERATOR_CONDITION_KEY("condition key the operator sets itself"),
  MANAGED_POLICY_NOT_ALLOWED("managed policy not allowed"),
  SESSION_DURATION_NOT_ALLOWED("session duration above the allowed maximum"),
  RETAIN_NOT_ALLOWED("deletionPolicy Retain not allowed"),
  PERMISSIONS_BOUNDARY_CONFLICT("policies name different permissions boundaries"),
  ACCOUNT_CONFLICT("policies name different AWS accounts"),
  IDENTITY_MODE_NOT_ALLOWED("identity mode not allowed"),
  IDENTITY_MODE_NOT_AVAILABLE("identity mode not available for this role"),
  IDENTITY_MODE_CONFLICT("policies allow no identity mode in common"),
  SECRET_NOT_ALLOWED("secret or parameter not within the allowed names"),
  KMS_KEY_NOT_ALLOWED("KMS key not allowed"),
  SYNC_TO_SECRETS_NOT_ALLOWED("syncing to Kubernetes Secrets not allowed"),
  SECURITY_GROUP_NOT_ALLOWED("security group not allowed"),
  CIDR_DENIED("ipBlock reaches a denied CIDR block"),
  CIDR_NOT_ALLOWED("ipBlock not within the allowed CIDR blocks"),
  TOO_MANY_WORKLOADS("namespace has more SecureWorkloads than allowed"),
  ROLE_NAME_TOO_LONG("IAM role name longer than IAM allows"),
  INLINE_POLICY_TOO_LARGE("inline policy larger than IAM allows"),
  TRUST_POLICY_TOO_LARGE("trust policy larger than the account allows"),
  TOO_MANY_MANAGED_POLICIES("more managed policies than a role may have"),
  TOO_MANY_TAGS("more tags than a role may have"),
  SESSION_DURATION_OUT_OF_RANGE("session duration outside IAM's range");

  private final String title;

  Rule(String title) {
    this.title = title;
  }

  /** What the rule says, for people. */
  public String title() {
    return title;
  }
}
