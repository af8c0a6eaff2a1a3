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

  public static final String ACCOUNT_ID = "^[0-9]{12}$";

  /** A role the operator may assume: an IAM role ARN with an optional path, no wildcard. */
  public static final String ASSUMABLE_ROLE_ARN =
      "^arn:aws[a-z-]*:iam::[0-9]{12}:role/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,64}$";

  /** A key of a Secret's data. */
  public static final String SECRET_DATA_KEY = "^[-._A-Za-z0-9]+$";

  public static final String AWS_REGION = "^[a-z]{2}(-[a-z]+)+-[0-9]$";

  public static final String SECURITY_GROUP_ID = "^sg-([0-9a-f]{8}|[0-9a-f]{17})$";

  /** A file name the CSI driver may write into the pod's mount; never {@code .} or {@code ..}. */
  public static final String FILE_NAME =
      "^([A-Za-z0-9_-]|[.][A-Za-z0-9_-]|[.][.][A-Za-z0-9_.-])[A-Za-z0-9_.-]*$";

  /** A Secrets Manager secret or SSM parameter, by name or ARN. */
  public static final String SECRET_OBJECT_NAME = "^[A-Za-z0-9/_+=.@:-]+$";

  /** A Secrets Manager version id (a UUID) or an SSM parameter version number. */
  public static final String OBJECT_VERSION = "^[A-Za-z0-9-]+$";

  /** A Secrets Manager staging label or an SSM parameter label. */
  public static final String OBJECT_VERSION_LABEL = "^[A-Za-z0-9_.-]+$";

  /**
   * A JMESPath that selects a key of a JSON secret: identifiers, plain or double-quoted, joined by
   * dots; none of JMESPath's functions, filters or projections.
   */
  public static final String JMES_PATH =
      "^([A-Za-z_][A-Za-z0-9_]*|\"[-A-Za-z0-9_./:@+= ]+\")"
          + "([.]([A-Za-z_][A-Za-z0-9_]*|\"[-A-Za-z0-9_./:@+= ]+\"))*$";

  /**
   * The types a synced Secret may have: those no controller acts on. Not {@code
   * kubernetes.io/service-account-token} (the token controller fills such a Secret with a token of
   * the ServiceAccount its annotation names), not bootstrap tokens, not the types of tools that
   * trust their Secrets ({@code helm.sh/release.v1}: Helm's release records).
   */
  public static final String SYNCED_SECRET_TYPE =
      "^(Opaque|kubernetes[.]io/(basic-auth|ssh-auth|tls|dockerconfigjson|dockercfg))$";

  /**
   * A label or annotation key without a prefix. Kubernetes leaves those to the user; controllers
   * act on prefixed keys ({@code kubernetes.io/service-account.name}, Argo CD's and Flux's tracking
   * keys, replicators' {@code replicate-to} annotations that copy a Secret into other namespaces).
   */
  public static final String UNPREFIXED_KEY = "^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

  /** The label by which Helm finds its release records ({@code owner: helm}), whatever the type. */
  public static final String HELM_RELEASE_OWNER_LABEL = "owner";

  private Patterns() {}
}
