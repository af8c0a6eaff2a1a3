package io.secureworkload.operator.outcome;

import io.secureworkload.operator.iam.AwsCallException;
import java.util.Set;

/**
 * A failed part, classified for people and for the retry decision.
 *
 * @param message what happened; names the object when {@code describesObject} is true
 * @param terminal true when retrying cannot help until the spec or the environment changes
 * @param describesObject true when the message already names the object it is about
 */
public record Failure(
    ConditionReason reason, String message, boolean terminal, boolean describesObject) {

  /** AWS errors that a platform administrator fixes outside the spec, so retrying pays off. */
  private static final Set<String> ACCESS_DENIED =
      Set.of(
          "AccessDenied",
          "AccessDeniedException",
          "UnrecognizedClientException",
          "InvalidClientTokenId",
          "ExpiredToken");

  public static Failure classify(Throwable error) {
    var cause = unwrap(error);
    if (cause instanceof TerminalException terminal) {
      return new Failure(terminal.reason(), terminal.getMessage(), true, true);
    }
    if (cause instanceof AwsCallException aws) {
      if (ACCESS_DENIED.contains(aws.errorCode())) {
        return new Failure(ConditionReason.AwsAccessDenied, aws.getMessage(), false, false);
      }
      if (aws.retryable()) {
        return new Failure(ConditionReason.AwsRetrying, aws.getMessage(), false, false);
      }
      return new Failure(ConditionReason.AwsRejected, aws.getMessage(), true, false);
    }
    var message =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new Failure(ConditionReason.ReconcileError, message, false, false);
  }

  private static Throwable unwrap(Throwable error) {
    var current = error;
    while (current.getCause() != null
        && !(current instanceof TerminalException)
        && !(current instanceof AwsCallException)) {
      current = current.getCause();
    }
    return current;
  }
}
