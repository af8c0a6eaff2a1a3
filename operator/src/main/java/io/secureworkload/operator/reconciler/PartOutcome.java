package io.secureworkload.operator.reconciler;

import io.secureworkload.operator.api.Condition;

/**
 * How one part stands after a reconciliation.
 *
 * @param status True, False or Unknown, as in the part's condition
 * @param terminal for a failure: retrying cannot help
 */
public record PartOutcome(String status, String reason, String message, boolean terminal) {

  public static PartOutcome ready(String reason, String message) {
    return new PartOutcome(Condition.TRUE, reason, message, false);
  }

  public static PartOutcome failed(Failure failure) {
    return new PartOutcome(
        Condition.FALSE, failure.reason(), failure.message(), failure.terminal());
  }

  public static PartOutcome pending(String reason, String message) {
    return new PartOutcome(Condition.UNKNOWN, reason, message, false);
  }

  public boolean isFailure() {
    return Condition.FALSE.equals(status);
  }
}
