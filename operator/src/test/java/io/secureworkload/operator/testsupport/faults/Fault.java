package io.secureworkload.operator.testsupport.faults;

import java.time.Duration;
import java.util.Objects;

/**
 * What the {@link FaultProxy} does to a call that a {@link FaultRule} picked: answer with an AWS
 * error, drop the connection, or hold the call back before it goes on.
 */
public sealed interface Fault {

  /**
   * An AWS error answer in the caller's protocol. The SDK turns it into an {@code
   * AwsServiceException} with this status and {@code awsErrorDetails().errorCode()}.
   */
  record ErrorReply(int status, String code, String message) implements Fault {
    public ErrorReply {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("An error answer needs a 4xx or 5xx status: " + status);
      }
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * The proxy reads the request, then resets the connection (TCP RST) without answering, as a
   * broken network path would. The SDK sees an {@code SdkClientException}, never an AWS error code.
   */
  record ConnectionReset() implements Fault {}

  /**
   * The call waits this long and then goes on: forwarded, or failed by another rule. Unlike the
   * other faults, every matching latency rule applies, and their delays add up.
   */
  record Latency(Duration delay) implements Fault {
    public Latency {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("A delay cannot be negative: " + delay);
      }
    }
  }

  /** HTTP 400 {@code Throttling}: the SDK's {@code isThrottlingException()} is true for it. */
  static ErrorReply throttling() {
    return new ErrorReply(400, "Throttling", "Rate exceeded");
  }

  /** HTTP 503 {@code ServiceUnavailable}, as AWS answers during an outage. */
  static ErrorReply serviceUnavailable() {
    return new ErrorReply(503, "ServiceUnavailable", "Service is unavailable. Try again later.");
  }

  /** HTTP 500 {@code InternalFailure}, an unexpected error inside the AWS service. */
  static ErrorReply internalFailure() {
    return new ErrorReply(
        500, "InternalFailure", "The request processing has failed because of an unknown error.");
  }

  /** HTTP 403 {@code AccessDenied}, as IAM answers a caller whose policy lacks the action. */
  static ErrorReply accessDenied() {
    return new ErrorReply(
        403, "AccessDenied", "User is not authorized to perform this action (injected fault).");
  }

  /** HTTP 409 {@code DeleteConflict}, as IAM answers DeleteRole for a role still in use. */
  static ErrorReply deleteConflict() {
    return new ErrorReply(
        409,
        "DeleteConflict",
        "Cannot delete entity, must remove roles from instance profile first.");
  }

  /** Any AWS error code with its status. */
  static ErrorReply error(int status, String code, String message) {
    return new ErrorReply(status, code, message);
  }

  static ConnectionReset connectionReset() {
    return new ConnectionReset();
  }

  static Latency latency(Duration delay) {
    return new Latency(delay);
  }
}
