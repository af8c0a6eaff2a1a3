package io.secureworkload.operator.reconciler;

/**
 * A failure that retrying cannot fix: the spec, or something outside the operator's ownership, must
 * change first. The reconciler reports it and stops retrying until the next change.
 */
public class TerminalException extends RuntimeException {

  private final String reason;

  public TerminalException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** CamelCase reason for the condition and the event. */
  public String reason() {
    return reason;
  }
}
