package io.secureworkload.operator.outcome;

import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.awscall.AwsFailureKind;
import io.secureworkload.operator.iam.AccountUnavailableException;
import io.secureworkload.operator.iam.IdentityProviderCheck;
import io.secureworkload.operator.iam.IdentityProviderException;
import io.secureworkload.operator.iam.RoleQuotaReachedException;
import io.secureworkload.operator.podidentity.AssociationQuotaReachedException;

/**
 * A failed part, classified for people and for the retry decision.
 *
 * @param message what happened; names the object when {@code describesObject} is true
 * @param terminal true when retrying cannot help until the spec or the environment changes
 * @param describesObject true when the message already names the object it is about
 */
public record Failure(
    ConditionReason reason, String message, boolean terminal, boolean describesObject) {

  public static Failure classify(Throwable error) {
    var cause = unwrap(error);
    if (cause instanceof TerminalException terminal) {
      return new Failure(terminal.reason(), terminal.getMessage(), true, true);
    }
    if (cause instanceof AccountUnavailableException account) {
      return new Failure(ConditionReason.AccountUnavailable, account.getMessage(), false, true);
    }
    if (cause instanceof IdentityProviderException provider) {
      return provider.check().state() == IdentityProviderCheck.State.ACCESS_DENIED
          ? new Failure(ConditionReason.AwsAccessDenied, provider.getMessage(), false, true)
          : new Failure(ConditionReason.OidcProviderMissing, provider.getMessage(), true, true);
    }
    if (cause instanceof RoleQuotaReachedException quota) {
      return new Failure(ConditionReason.RoleQuotaReached, quota.getMessage(), false, true);
    }
    if (cause instanceof AssociationQuotaReachedException quota) {
      return new Failure(
          ConditionReason.PodIdentityAssociationQuotaReached, quota.getMessage(), false, true);
    }
    if (cause instanceof AwsCallException aws) {
      // An administrator fixes access outside the spec, so retrying it pays off.
      if (aws.kind() == AwsFailureKind.ACCESS_DENIED) {
        return new Failure(ConditionReason.AwsAccessDenied, aws.getMessage(), false, false);
      }
      if (aws.kind().requestMustChange()) {
        return new Failure(ConditionReason.AwsRejected, aws.getMessage(), true, false);
      }
      return new Failure(ConditionReason.AwsRetrying, aws.getMessage(), false, false);
    }
    var message =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new Failure(ConditionReason.ReconcileError, message, false, false);
  }

  private static Throwable unwrap(Throwable error) {
    var current = error;
    while (current.getCause() != null
        && !(current instanceof TerminalException)
        && !(current instanceof AwsCallException)
        && !(current instanceof AccountUnavailableException)
        && !(current instanceof IdentityProviderException)
        && !(current instanceof RoleQuotaReachedException)
        && !(current instanceof AssociationQuotaReachedException)) {
      current = current.getCause();
    }
    return current;
  }
}
