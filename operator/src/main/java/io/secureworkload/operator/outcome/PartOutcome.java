package io.secureworkload.operator.outcome;

import io.secureworkload.operator.api.Condition;

/**
 * How one part stands after a reconciliation.
 *
 * @param status True, False or Unknown, as in the part's condition
 * @param message a whole sentence naming the object it is about
 * @param terminal for a failure: retrying cannot help
 */
public record PartOutcome(String status, ConditionReason reason, String message, boolean terminal) {

  public static PartOutcome ready(ConditionReason reason, String message) {
    return new PartOutcome(Condition.TRUE, reason, message, false);
  }

  /**
   * @param subject what people call the part, for messages that do not name it themselves
   */
  public static PartOutcome failed(String subject, Failure failure) {
    var message =
        failure.describesObject() ? failure.message() : subject + ": " + failure.message();
    return new PartOutcome(Condition.FALSE, failure.reason(), message, failure.terminal());
  }

  public static PartOutcome blocked(ConditionReason reason, String message) {
    return new PartOutcome(Condition.FALSE, reason, message, true);
  }

  public static PartOutcome pending(ConditionReason reason, String message) {
    return new PartOutcome(Condition.UNKNOWN, reason, message, false);
  }

  public boolean isFailure() {
    return Condition.FALSE.equals(status);
  }

  public boolean isReady() {
    return Condition.TRUE.equals(status);
  }
}
