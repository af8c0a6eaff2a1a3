package io.secureworkload.operator.api;

/**
 * Regular expressions shared by the schema (OpenAPI patterns and CEL rules) and the code. They use
 * character classes instead of backslash escapes so that one string is valid in all three.
 */
public final class Patterns {

  /** A DNS-1123 label: the names of ServiceAccounts and most objects the operator writes. */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /** A DNS-1123 subdomain: Secret names. */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  public static final String LABEL_KEY =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

  public static final String LABEL_VALUE = "^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$";

  /** An IAM action such as {@code s3:GetObject}; wildcards allowed in the action part only. */
  public static final String IAM_ACTION = "^[a-z0-9-]+:[A-Za-z0-9*?]+$";

  /** An ARN, or {@code *}. */
  public static final String IAM_RESOURCE =
      "^([*]|arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:([0-9]{12})?:.+)$";

  public static final String MANAGED_POLICY_ARN =
      "^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy/[A-Za-z0-9+=,.@/_-]+$";

  public static final String KMS_KEY_ARN =
      "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$";

  public static final String AWS_REGION = "^[a-z]{2}(-[a-z]+)+-[0-9]$";

  public static final String SECURITY_GROUP_ID = "^sg-([0-9a-f]{8}|[0-9a-f]{17})$";

  /** A file name the CSI driver may write into the pod's mount. */
  public static final String FILE_NAME = "^[A-Za-z0-9_.-]+$";

  private Patterns() {}
}
