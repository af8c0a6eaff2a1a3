package io.secureworkload.operator.reconciler;

/** The parts of a workload's envelope: one dependent and one condition each. */
public enum Part {
  IAM_ROLE(Part.IAM_ROLE_DEPENDENT, "IAMRoleReady", "IAM role"),
  SERVICE_ACCOUNT(Part.SERVICE_ACCOUNT_DEPENDENT, "ServiceAccountReady", "ServiceAccount");

  public static final String IAM_ROLE_DEPENDENT = "iam-role";
  public static final String SERVICE_ACCOUNT_DEPENDENT = "service-account";

  private final String dependentName;
  private final String conditionType;
  private final String displayName;

  Part(String dependentName, String conditionType, String displayName) {
    this.dependentName = dependentName;
    this.conditionType = conditionType;
    this.displayName = displayName;
  }

  public String dependentName() {
    return dependentName;
  }

  public String conditionType() {
    return conditionType;
  }

  public String displayName() {
    return displayName;
  }
}
