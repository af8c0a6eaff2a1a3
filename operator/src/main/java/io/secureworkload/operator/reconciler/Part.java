package io.secureworkload.operator.reconciler;

import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.thirdparty.SecretProviderClass;
import io.secureworkload.operator.thirdparty.SecurityGroupPolicy;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The parts of a workload's envelope: their dependents, their condition, when they are asked for.
 */
public enum Part {
  IAM_ROLE(
      List.of(Part.IAM_ROLE_DEPENDENT), "IAMRoleReady", "IAM role", null, w -> true, null, null),
  SERVICE_ACCOUNT(
      List.of(Part.SERVICE_ACCOUNT_DEPENDENT),
      "ServiceAccountReady",
      "ServiceAccount",
      null,
      w -> true,
      null,
      null),
  SECRETS(
      List.of(Part.SECRET_PROVIDER_CLASS_DEPENDENT),
      "SecretsReady",
      "SecretProviderClass",
      "spec.secrets",
      w -> w.getSpec().getSecrets() != null,
      SecretProviderClass.CRD_NAME,
      SecretProviderClass.INSTALL_HINT),
  SECURITY_GROUPS(
      List.of(Part.SECURITY_GROUP_POLICY_DEPENDENT),
      "SecurityGroupsReady",
      "SecurityGroupPolicy",
      "spec.securityGroups",
      w -> w.getSpec().getSecurityGroups() != null,
      SecurityGroupPolicy.CRD_NAME,
      SecurityGroupPolicy.INSTALL_HINT),
  NETWORK_POLICIES(
      List.of(
          Part.DEFAULT_DENY_POLICY_DEPENDENT,
          Part.INGRESS_POLICY_DEPENDENT,
          Part.EGRESS_POLICY_DEPENDENT),
      "NetworkPoliciesReady",
      "NetworkPolicies",
      "spec.network",
      w -> w.getSpec().getNetwork() != null,
      null,
      null);

  public static final String IAM_ROLE_DEPENDENT = "iam-role";
  public static final String SERVICE_ACCOUNT_DEPENDENT = "service-account";
  public static final String SECRET_PROVIDER_CLASS_DEPENDENT = "secret-provider-class";
  public static final String SECURITY_GROUP_POLICY_DEPENDENT = "security-group-policy";
  public static final String DEFAULT_DENY_POLICY_DEPENDENT = "default-deny-network-policy";
  public static final String INGRESS_POLICY_DEPENDENT = "ingress-network-policy";
  public static final String EGRESS_POLICY_DEPENDENT = "egress-network-policy";

  private final List<String> dependentNames;
  private final String conditionType;
  private final String displayName;
  private final String specField;
  private final Predicate<SecureWorkload> requested;
  private final String crdName;
  private final String installHint;

  Part(
      List<String> dependentNames,
      String conditionType,
      String displayName,
      String specField,
      Predicate<SecureWorkload> requested,
      String crdName,
      String installHint) {
    this.dependentNames = dependentNames;
    this.conditionType = conditionType;
    this.displayName = displayName;
    this.specField = specField;
    this.requested = requested;
    this.crdName = crdName;
    this.installHint = installHint;
  }

  public List<String> dependentNames() {
    return dependentNames;
  }

  public String conditionType() {
    return conditionType;
  }

  public String displayName() {
    return displayName;
  }

  /** The spec field that asks for this part; null for the parts every workload has. */
  public String specField() {
    return specField;
  }

  public boolean isRequestedBy(SecureWorkload workload) {
    return requested.test(workload);
  }

  /** The third-party CRD this part needs, if any. */
  public Optional<String> crdName() {
    return Optional.ofNullable(crdName);
  }

  /** What to install when {@link #crdName()} is missing. */
  public String installHint() {
    return installHint;
  }
}
