package io.secureworkload.operator.outcome;

/**
 * The closed set of reasons of the Events the operator records on a SecureWorkload. A Normal Event
 * tells one change of the workload and its message names every object it touched (IAM role,
 * ServiceAccount, NetworkPolicy, ...); a Warning tells what stops it.
 */
public enum EventReason {
  // At most one of these per reconciliation
  Ready(Type.Normal),
  Updated(Type.Normal),
  DriftRepaired(Type.Normal),
  // The IAM role's fate when its workload goes
  Deleted(Type.Normal),
  Retained(Type.Normal),
  NotOwned(Type.Warning),
  CRDNotInstalled(Type.Warning),
  GuardrailViolation(Type.Warning),
  GuardrailAudit(Type.Warning),
  ReconcileFailed(Type.Warning),
  // Deletion and AWS drift
  DeletionBlocked(Type.Warning);

  public enum Type {
    Normal,
    Warning
  }

  private final Type type;

  EventReason(Type type) {
    this.type = type;
  }

  public Type type() {
    return type;
  }
}
