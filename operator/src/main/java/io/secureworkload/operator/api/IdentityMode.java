package io.secureworkload.operator.api;

/** How the workload's pods obtain the credentials of its IAM role. */
public enum IdentityMode {
  /**
   * IAM Roles for Service Accounts: the ServiceAccount carries the role's ARN, and the role trusts
   * the cluster's OIDC provider for exactly that ServiceAccount.
   */
  IRSA,
  /**
   * EKS Pod Identity: an association of the cluster binds the ServiceAccount to the role, which
   * trusts pods.eks.amazonaws.com bound by the session tags EKS sets.
   */
  PodIdentity
}
