package io.secureworkload.operator.aws;

import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.awscall.AwsFailureKind;
import io.secureworkload.operator.iam.ActualRole;
import java.util.List;
import java.util.TreeSet;
import software.amazon.awssdk.services.iam.IamClient;

/** Deleting a role: optimistically from what is known of it, or from what IAM reports now. */
final class AwsIamRoleDeletion {

  private final IamClient iam;
  private final AwsCalls calls;
  private final AwsIamRoleReads reads;

  AwsIamRoleDeletion(IamClient iam, AwsCalls calls, AwsIamRoleReads reads) {
    this.iam = iam;
    this.calls = calls;
    this.reads = reads;
  }

  /**
   * Reads what holds the role at the moment of deletion rather than what the operator remembers:
   * people attach instance profiles and policies by hand, and IAM refuses DeleteRole while any is
   * left (DeleteConflict).
   */
  void delete(String roleName) {
    List<String> profiles;
    try {
      profiles = reads.instanceProfileNames(roleName);
    } catch (AwsCallException e) {
      if (e.kind() == AwsFailureKind.NOT_FOUND) {
        return;
      }
      throw e;
    }
    for (var profile : profiles) {
      calls.unlessGone(
          "RemoveRoleFromInstanceProfile",
          () ->
              iam.removeRoleFromInstanceProfile(
                  r -> r.instanceProfileName(profile).roleName(roleName)));
    }
    for (var arn :
        calls.unlessGone(
            "ListAttachedRolePolicies",
            () -> reads.attachedPolicyArns(roleName),
            List.<String>of())) {
      detach(roleName, arn);
    }
    for (var policyName :
        calls.unlessGone(
            "ListRolePolicies", () -> reads.inlinePolicyNames(roleName), List.<String>of())) {
      deleteInline(roleName, policyName);
    }
    deleteRole(roleName);
  }

  /**
   * The optimistic deletion: one call per known policy and DeleteRole. A DeleteConflict means IAM
   * holds more than the operator knew, so the deletion reads what holds the role and clears it.
   */
  void delete(ActualRole known) {
    var roleName = known.name();
    try {
      new TreeSet<>(known.managedPolicyArns()).forEach(arn -> detach(roleName, arn));
      new TreeSet<>(known.inlinePolicies().keySet()).forEach(name -> deleteInline(roleName, name));
      deleteRole(roleName);
    } catch (AwsCallException e) {
      if (e.kind() != AwsFailureKind.CONFLICT) {
        throw e;
      }
      delete(known.name());
    }
  }

  private void detach(String roleName, String arn) {
    calls.unlessGone(
        "DetachRolePolicy", () -> iam.detachRolePolicy(r -> r.roleName(roleName).policyArn(arn)));
  }

  private void deleteInline(String roleName, String policyName) {
    calls.unlessGone(
        "DeleteRolePolicy",
        () -> iam.deleteRolePolicy(r -> r.roleName(roleName).policyName(policyName)));
  }

  private void deleteRole(String roleName) {
    calls.unlessGone("DeleteRole", () -> iam.deleteRole(r -> r.roleName(roleName)));
  }
}
