package io.secureworkload.operator.iam;

/**
 * The operator cannot act in an account: the role it assumes there cannot be assumed, STS did not
 * answer in time, or the external id cannot be read. Thrown before any IAM call, so that a
 * reconciliation waits for nothing; retried with backoff.
 */
public final class AccountUnavailableException extends RuntimeException {

  private final AccountTarget target;
  private final String problem;

  public AccountUnavailableException(AccountTarget target, String problem, Throwable cause) {
    super("Cannot act in " + target.describe() + ": " + problem, cause);
    this.target = target;
    this.problem = problem;
  }

  /** What is wrong, without the account. */
  public String problem() {
    return problem;
  }

  public AccountTarget target() {
    return target;
  }
}
