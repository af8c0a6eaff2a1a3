package io.secureworkload.operator.reconciler;

import io.secureworkload.operator.aws.AwsCallException;
import java.util.Set;

/**
 * A failed part, classified for people and for the retry decision.
 *
 * @param terminal true when retrying cannot help until the spec or the environment changes
 */
public record Failure(String reason, String message, boolean terminal) {

  /** AWS errors that a platform administrator fixes outside the spec, so retrying pays off. */
  private static final Set<String> RETRY_AFTER_ADMIN_FIX =
      Set.of(
          "AccessDenied",
          "AccessDeniedException",
          "UnrecognizedClientException",
          "InvalidClientTokenId",
          "ExpiredToken");

  public static Failure classify(Throwable error) {
    var cause = unwrap(error);
    if (cause instanceof TerminalException terminal) {
      return new Failure(terminal.reason(), terminal.getMessage(), true);
    }
    if (cause instanceof AwsCallException aws) {
      boolean retry = aws.retryable() || RETRY_AFTER_ADMIN_FIX.contains(aws.errorCode());
      var reason = "ClientError".equals(aws.errorCode()) ? "AwsUnreachable" : aws.errorCode();
      return new Failure(reason, aws.getMessage(), !retry);
    }
    var message =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new Failure("ReconcileError", message, false);
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
