package io.secureworkload.operator.reconciler;

import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.awscall.AwsFailureKind;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.Failure;
import io.secureworkload.operator.outcome.PartOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How a deletion stands, in words a person can act on, and when to try it again. Pure: the
 * reconciler's {@code cleanup} turns these outcomes into the status and an Event.
 */
final class Deletion {

  /** The first retry of a failed deletion; later ones wait as long as the deletion has lasted. */
  static final Duration FIRST_RETRY = Duration.ofSeconds(2);

  /** The longest wait between two attempts, as for a failed reconciliation. */
  static final Duration LONGEST_RETRY = Duration.ofMinutes(5);

  private Deletion() {}

  /** The finalizer runs and nothing has failed (yet). */
  static PartOutcome inProgress(String roleName, boolean retain) {
    var message =
        retain
            ? "Deleting: IAM role "
                + roleName
                + " is kept (deletionPolicy: Retain), its trust cut before the SecureWorkload goes"
            : "Deleting IAM role " + roleName + " before the SecureWorkload goes";
    return PartOutcome.pending(ConditionReason.Deleting, message);
  }

  /**
   * A failed attempt. Throttling and AWS's own failures are retried as part of deleting; anything
   * else (AccessDenied, DeleteConflict, ...) waits for a person, who reads what to do in the
   * message. A retained role's attempt is its trust cut: the SecureWorkload stays until no
   * ServiceAccount can assume the role it leaves behind.
   */
  static PartOutcome failed(String roleName, boolean retain, Exception error) {
    var failure = Failure.classify(error);
    if (failure.reason() == ConditionReason.AwsRetrying
        || failure.reason() == ConditionReason.ReconcileError) {
      return PartOutcome.pending(
          ConditionReason.Deleting,
          (retain ? "Cutting the trust of IAM role " : "Deleting IAM role ")
              + roleName
              + ": "
              + failure.message()
              + "; retrying with backoff");
    }
    if (retain) {
      return PartOutcome.blocked(
          ConditionReason.DeletionBlocked,
          "The trust of IAM role "
              + roleName
              + " cannot be cut: "
              + sentence(failure.message())
              + " "
              + whatToDo(awsError(error))
              + " The operator retries with backoff and lets the SecureWorkload go once no"
              + " ServiceAccount can assume the role it keeps (deletionPolicy: Retain).");
    }
    return PartOutcome.blocked(
        ConditionReason.DeletionBlocked,
        "IAM role "
            + roleName
            + " cannot be deleted: "
            + sentence(failure.message())
            + " "
            + whatToDo(awsError(error))
            + " The operator retries with backoff and lets the SecureWorkload go once the role is"
            + " gone; to keep the role instead, set spec.iam.deletionPolicy: Retain.");
  }

  /** True when the status already reports this deletion. */
  static boolean isReported(SecureWorkloadStatus status) {
    if (status == null) {
      return false;
    }
    return status.getConditions().stream()
        .filter(c -> StatusAggregator.READY.equals(c.getType()))
        .anyMatch(
            c ->
                Condition.FALSE.equals(c.getStatus())
                    && (ConditionReason.Deleting.name().equals(c.getReason())
                        || ConditionReason.DeletionBlocked.name().equals(c.getReason())));
  }

  /**
   * As long as the deletion has lasted, between {@link #FIRST_RETRY} and {@link #LONGEST_RETRY}:
   * the attempts thin out exponentially, counted from the deletion's own timestamp so that no count
   * of attempts has to be kept, and a restart of the operator does not start over.
   */
  static Duration retryAfter(Instant deletionRequested, Instant now) {
    var lasted = Duration.between(deletionRequested, now);
    if (lasted.compareTo(FIRST_RETRY) < 0) {
      return FIRST_RETRY;
    }
    return lasted.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : lasted;
  }

  private static String whatToDo(Optional<AwsCallException> error) {
    if (error.isEmpty()) {
      return "Fix what the error names.";
    }
    var aws = error.get();
    if (aws.kind() == AwsFailureKind.ACCESS_DENIED) {
      return "The operator's own IAM policy must allow "
          + "iam:"
          + aws.operation()
          + " on the role (docs/operator-iam-policy.md); or delete the role by hand.";
    }
    if (aws.kind() == AwsFailureKind.CONFLICT) {
      return "Something still uses the role: remove what the AWS message names (the operator"
          + " already removed its instance profiles and policies), or delete the role by hand.";
    }
    if ("UnmodifiableEntity".equals(aws.errorCode())) {
      return "AWS protects this role from changes: delete it by hand if it must go.";
    }
    return "Fix what the AWS error names in AWS, or delete the role by hand.";
  }

  private static String sentence(String text) {
    var trimmed = text.strip();
    return trimmed.endsWith(".") ? trimmed : trimmed + ".";
  }

  private static Optional<AwsCallException> awsError(Throwable error) {
    for (var current = error; current != null; current = current.getCause()) {
      if (current instanceof AwsCallException aws) {
        return Optional.of(aws);
      }
    }
    return Optional.empty();
  }
}
