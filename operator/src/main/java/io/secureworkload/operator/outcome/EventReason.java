package io.secureworkload.operator.outcome;

/**
 * The closed set of reasons of the Events the operator records on a SecureWorkload. The message
 * names the object (IAM role, ServiceAccount, NetworkPolicy, ...) and what was done.
 */
public enum EventReason {
  Created(Type.Normal),
  Updated(Type.Normal),
  DriftRepaired(Type.Normal),
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
