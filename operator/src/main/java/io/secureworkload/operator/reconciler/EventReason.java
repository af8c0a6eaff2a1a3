package io.secureworkload.operator.reconciler;

/** The closed set of reasons of the Events the operator records on a SecureWorkload. */
public enum EventReason {
  RoleCreated(Type.Normal),
  RoleUpdated(Type.Normal),
  RoleDeleted(Type.Normal),
  RoleRetained(Type.Normal),
  RoleNotOwned(Type.Warning),
  ServiceAccountCreated(Type.Normal),
  ServiceAccountUpdated(Type.Normal),
  ServiceAccountNotOwned(Type.Warning),
  ReconcileFailed(Type.Warning);

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
