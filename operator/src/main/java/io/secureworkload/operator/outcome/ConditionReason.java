package io.secureworkload.operator.outcome;

/**
 * The closed set of reasons a SecureWorkload's conditions carry. AWS error codes are not reasons:
 * they go into the message, so that tools and people can rely on this list.
 */
public enum ConditionReason {
  // Ready
  AllPartsReady,
  // A part in sync
  InSync,
  InSyncWithoutAwsEgress,
  NotRequested,
  // Work pending
  Reconciling,
  WaitingForDependencies,
  NotReady,
  // A part that cannot be written until someone acts
  CRDNotInstalled(EventReason.CRDNotInstalled),
  RoleNotOwned(EventReason.NotOwned),
  // A role of this name outlived an earlier workload, its trust cut, and this one cannot prove it
  // is that workload: the namespace's uid differs, or the role carries none
  CutRoleNotOwned(EventReason.NotOwned),
  ServiceAccountNotOwned(EventReason.NotOwned),
  SecretProviderClassNotOwned(EventReason.NotOwned),
  SecurityGroupPolicyNotOwned(EventReason.NotOwned),
  NetworkPolicyNotOwned(EventReason.NotOwned),
  // An EKS Pod Identity association for the workload's ServiceAccount exists that the operator did
  // not make for this workload: it is never taken over
  PodIdentityAssociationNotOwned(EventReason.NotOwned),
  // Another SecureWorkload names the same ServiceAccount: its role would trust the other's pods
  ServiceAccountConflict(EventReason.NotOwned),
  // Guardrails: the spec asks for more than the namespace's policies allow (GuardrailCompliant
  // is Compliant, GuardrailViolation when enforced, GuardrailAudit when only reported)
  Compliant,
  GuardrailViolation(EventReason.GuardrailViolation),
  GuardrailAudit(EventReason.GuardrailAudit),
  // No policy and no operator setting names a permissions boundary, and unbounded roles are off
  PermissionsBoundaryMissing,
  // AWS answered with an error that retrying cannot fix (the message carries the AWS error code)
  AwsRejected,
  // AWS throttled, failed on its side, or could not be reached: retried with backoff
  AwsRetrying,
  // The operator's own AWS permissions fall short: retried, since a platform administrator fixes it
  AwsAccessDenied,
  // The role assumed in the workload's account cannot be assumed (refused, a wrong external id, no
  // answer from STS): retried with backoff, other accounts go on
  AccountUnavailable,
  // The cluster's OIDC provider is missing from the workload's account, or lacks the STS audience:
  // no pod could assume the role; the sweep looks again each period
  OidcProviderMissing,
  // A new role would take the account past its role quota: none is made
  RoleQuotaReached,
  // A new Pod Identity association would take the cluster past its association quota: none is made
  PodIdentityAssociationQuotaReached,
  // Anything else that went wrong: retried with backoff
  ReconcileError,
  // Deletion and AWS drift
  // The finalizer runs: the IAM role is being removed (Reconciling=True)
  Deleting,
  // The role cannot be removed until someone acts in AWS (Stalled=True; still retried with backoff)
  DeletionBlocked(EventReason.DeletionBlocked);

  private final EventReason failureEvent;

  ConditionReason() {
    this(EventReason.ReconcileFailed);
  }

  ConditionReason(EventReason failureEvent) {
    this.failureEvent = failureEvent;
  }

  /** The Event recorded when Ready turns False for this reason. */
  public EventReason failureEvent() {
    return failureEvent;
  }
}
