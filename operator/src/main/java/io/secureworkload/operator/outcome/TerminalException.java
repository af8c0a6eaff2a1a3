package io.secureworkload.operator.outcome;

/**
 * A failure that retrying cannot fix: the spec, or something outside the operator's ownership, must
 * change first. The reconciler reports it and stops retrying until the next change.
 */
public class TerminalException extends RuntimeException {

  private final ConditionReason reason;

  public TerminalException(ConditionReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ConditionReason reason() {
    return reason;
  }
}
