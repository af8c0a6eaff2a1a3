package io.secureworkload.operator.dependent;

import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.RoleChange;
import io.secureworkload.operator.iam.RoleDeletion;
import io.secureworkload.operator.iam.RoleSync;
import io.secureworkload.operator.iam.TrustCut;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.EventReason;
import io.secureworkload.operator.outcome.TerminalException;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What people read of the role's sync and deletion: the change or the Event it deserves, or why it
 * stalls.
 */
final class IamRoleMessages {

  /** One Event: a reason from the closed set and a sentence. */
  record Note(EventReason reason, String message) {}

  private IamRoleMessages() {}

  static TerminalException noBoundary() {
    return new TerminalException(
        ConditionReason.PermissionsBoundaryMissing,
        "No permissions boundary is configured for this namespace (no SecureWorkloadPolicy and"
            + " no SW_PERMISSIONS_BOUNDARY_ARN names one), so the operator writes no IAM role;"
            + " the platform team must name one, or set SW_ALLOW_UNBOUNDED_ROLES=true.");
  }

  /**
   * The terminal error a sync ends in, or null when it succeeded.
   *
   * @param namespaceUid the uid of the workload's namespace, which a cut role must carry
   */
  static TerminalException failure(RoleSync.Result result, String namespaceUid) {
    if (result instanceof RoleSync.NotOwned notOwned && TrustCut.marked(notOwned.role().tags())) {
      return cutRoleNotOwned(notOwned.role(), namespaceUid);
    }
    if (result instanceof RoleSync.NotOwned notOwned) {
      return new TerminalException(
          ConditionReason.RoleNotOwned,
          "IAM role "
              + notOwned.role().name()
              + " exists but is not tagged as belonging to this SecureWorkload; the operator leaves"
              + " it untouched. Ask the platform team to delete or rename that role.");
    }
    if (result instanceof RoleSync.Refused refused) {
      return new TerminalException(
          ConditionReason.AwsRejected,
          specFieldOf(refused.error().operation())
              + ": "
              + refused.error().getMessage()
              + (refused.deletedAgain()
                  ? "; the role made for it was deleted again, nothing is kept until the spec"
                      + " changes"
                  : "; the role made for it could not be deleted yet and is retried with the"
                      + " workload's deletion"));
    }
    return null;
  }

  /**
   * Says why, and how a platform team hands the role over on purpose: by giving it this namespace's
   * uid, a decision the operator never takes for them.
   */
  private static TerminalException cutRoleNotOwned(ActualRole role, String namespaceUid) {
    var tags = role.tags();
    var roleNamespaceUid = tags.get(WorkloadRole.TAG_NAMESPACE_UID);
    String why;
    if (roleNamespaceUid == null) {
      why = "its tags name no namespace uid, so nothing proves it was made in this namespace";
    } else if (!roleNamespaceUid.equals(namespaceUid)) {
      why =
          "it was made in an earlier namespace named "
              + tags.get(WorkloadRole.TAG_NAMESPACE)
              + " (uid "
              + roleNamespaceUid
              + "), and this namespace is another one (uid "
              + namespaceUid
              + ")";
    } else {
      why = "its ownership tags name another cluster or SecureWorkload";
    }
    var outlived =
        TrustCut.Reason.RETAINED.tagValue().equals(tags.get(TrustCut.TAG))
            ? "was kept by deletionPolicy: Retain when its SecureWorkload went"
            : "was found without its SecureWorkload";
    return new TerminalException(
        ConditionReason.CutRoleNotOwned,
        "IAM role "
            + role.name()
            + " "
            + outlived
            + ", and its trust was cut: no ServiceAccount can assume it. This SecureWorkload does"
            + " not adopt it: "
            + why
            + ". The operator leaves the role untouched. The platform team deletes it, or, if"
            + " this namespace is its rightful owner, sets its tag "
            + WorkloadRole.TAG_NAMESPACE_UID
            + " to "
            + namespaceUid
            + ".");
  }

  /**
   * Notes what a sync changed among the reconciliation's changes. A role the status already names
   * was there before: it was deleted outside the operator, and the one created now is a new
   * incarnation that policies naming the old one do not match.
   */
  static void noteChange(RoleSync.Result result, WorkloadChanges changes) {
    var dependent = IamRoleDependentResource.NAME;
    if (result instanceof RoleSync.Created created && !created.replacesAnother()) {
      changes.add(
          WorkloadChanges.Kind.CREATED, dependent, "IAM role " + created.role().arn(), null);
    } else if (result instanceof RoleSync.Created created) {
      changes.add(
          WorkloadChanges.Kind.REPAIRED,
          dependent,
          "IAM role " + created.role().arn(),
          "it was missing in AWS and has been recreated with the same name and ARN but a new"
              + " unique id: resource policies that named the old role as a principal, in S3"
              + " buckets or KMS keys for example, no longer match it and must be saved again to"
              + " name the new one");
    } else if (result instanceof RoleSync.Updated updated
        && TrustCut.marked(updated.role().tags())) {
      changes.add(
          WorkloadChanges.Kind.UPDATED,
          dependent,
          "IAM role " + updated.role().name(),
          "adopted again: it outlived an earlier SecureWorkload of this namespace with its trust"
              + " cut, and its trust was restored by "
              + operations(updated));
    } else if (result instanceof RoleSync.Updated updated) {
      changes.add(
          WorkloadChanges.Kind.UPDATED,
          dependent,
          "IAM role " + updated.role().name(),
          operations(updated));
    }
  }

  private static String operations(RoleSync.Updated updated) {
    return updated.changes().stream().map(RoleChange::operation).collect(Collectors.joining(", "));
  }

  static Optional<Note> event(
      RoleDeletion.Result result, String roleName, Supplier<String> roleArn) {
    return switch (result) {
      case RETAINED ->
          Optional.of(
              new Note(
                  EventReason.Retained,
                  "Kept IAM role "
                      + roleName
                      + " (deletionPolicy: Retain) with its trust cut: no ServiceAccount can"
                      + " assume it until a SecureWorkload of this namespace adopts it again"));
      case NOT_OWNED ->
          Optional.of(
              new Note(
                  EventReason.NotOwned,
                  "Left IAM role "
                      + roleName
                      + " in place: it does not belong to this SecureWorkload"));
      case DELETED ->
          Optional.of(new Note(EventReason.Deleted, "Deleted IAM role " + roleArn.get()));
      case ALREADY_GONE -> Optional.empty();
    };
  }

  private static String specFieldOf(String operation) {
    return switch (operation) {
      case "AttachRolePolicy" -> "spec.iam.managedPolicyArns";
      case "PutRolePolicy" -> "spec.iam.statements";
      default -> "spec.iam";
    };
  }
}
