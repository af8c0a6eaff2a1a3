package io.secureworkload.operator.iam;

/**
 * A failed AWS call, as the operator needs to see it: which operation, the service's error code,
 * and whether trying again later can succeed.
 */
public class AwsCallException extends RuntimeException {

  private final String operation;
  private final String errorCode;
  private final boolean retryable;

  public AwsCallException(
      String operation, String errorCode, String message, boolean retryable, Throwable cause) {
    super(operation + " failed: " + errorCode + ": " + message, cause);
    this.operation = operation;
    this.errorCode = errorCode;
    this.retryable = retryable;
  }

  public String operation() {
    return operation;
  }

  public String errorCode() {
    return errorCode;
  }

  public boolean retryable() {
    return retryable;
  }
}
