package io.secureworkload.operator.awscall;

/**
 * A failed AWS call, as the operator needs to see it: which operation, what kind of failure, and
 * the service's error code and message for people (the code is part of messages, never a reason).
 */
public class AwsCallException extends RuntimeException {

  private final String operation;
  private final AwsFailureKind kind;
  private final String errorCode;

  public AwsCallException(
      String operation, AwsFailureKind kind, String errorCode, String message, Throwable cause) {
    super(operation + " failed: " + errorCode + ": " + message, cause);
    this.operation = operation;
    this.kind = kind;
    this.errorCode = errorCode;
  }

  /**
   * A failure whose kind is decided from its code and what is known of it ({@link
   * AwsFailureKind#decide}).
   */
  public static AwsCallException of(
      String operation,
      String errorCode,
      String message,
      boolean throttled,
      boolean transientFailure,
      Throwable cause) {
    return new AwsCallException(
        operation,
        AwsFailureKind.decide(errorCode, throttled, transientFailure),
        errorCode,
        message,
        cause);
  }

  public String operation() {
    return operation;
  }

  public AwsFailureKind kind() {
    return kind;
  }

  public String errorCode() {
    return errorCode;
  }
}
