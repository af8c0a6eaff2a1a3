package io.secureworkload.operator.aws;

import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.DesiredRole;
import io.secureworkload.operator.iam.RoleChange;
import java.util.HashMap;
import software.amazon.awssdk.services.iam.IamClient;

/** What the operator writes to IAM: a new role, and one change at a time to an existing one. */
final class AwsIamRoleWrites {

  private final IamClient iam;
  private final AwsCalls calls;

  AwsIamRoleWrites(IamClient iam, AwsCalls calls) {
    this.iam = iam;
    this.calls = calls;
  }

  /**
   * CreateRole carries trust, tags, path, boundary and session duration; the policies follow, one
   * call each.
   */
  ActualRole create(DesiredRole desired) {
    var role =
        calls.call(
            "CreateRole",
            () ->
                iam.createRole(
                        r ->
                            r.roleName(desired.name())
                                .path(desired.path())
                                .description(desired.description())
                                .assumeRolePolicyDocument(desired.trustPolicy())
                                .maxSessionDuration(desired.maxSessionDurationSeconds())
                                .permissionsBoundary(desired.permissionsBoundaryArn())
                                .tags(IamShapes.tags(desired.tags())))
                    .role());
    var inline = new HashMap<String, String>();
    if (desired.inlinePolicy() != null) {
      apply(
          desired.name(),
          new RoleChange.PutInlinePolicy(DesiredRole.INLINE_POLICY_NAME, desired.inlinePolicy()));
      inline.put(DesiredRole.INLINE_POLICY_NAME, desired.inlinePolicy());
    }
    for (var arn : desired.managedPolicyArns()) {
      apply(desired.name(), new RoleChange.AttachManagedPolicy(arn));
    }
    return IamShapes.identity(role.roleName(), role.arn(), role.path(), role.roleId())
        .withDescription(desired.description())
        .withTrustPolicy(desired.trustPolicy())
        .withInlinePolicies(inline)
        .withManagedPolicyArns(desired.managedPolicyArns())
        .withMaxSessionDurationSeconds(desired.maxSessionDurationSeconds())
        .withPermissionsBoundaryArn(desired.permissionsBoundaryArn())
        .withTags(desired.tags());
  }

  void apply(String roleName, RoleChange change) {
    calls.call(change.operation(), () -> send(roleName, change));
  }

  /** Java 17 has no pattern matching in switch, hence the chain. */
  private Object send(String roleName, RoleChange change) {
    if (change instanceof RoleChange.UpdateTrustPolicy c) {
      return iam.updateAssumeRolePolicy(r -> r.roleName(roleName).policyDocument(c.document()));
    } else if (change instanceof RoleChange.UpdateRoleSettings c) {
      return iam.updateRole(
          r ->
              r.roleName(roleName)
                  .description(c.description())
                  .maxSessionDuration(c.maxSessionDurationSeconds()));
    } else if (change instanceof RoleChange.PutInlinePolicy c) {
      return iam.putRolePolicy(
          r -> r.roleName(roleName).policyName(c.policyName()).policyDocument(c.document()));
    } else if (change instanceof RoleChange.DeleteInlinePolicy c) {
      return iam.deleteRolePolicy(r -> r.roleName(roleName).policyName(c.policyName()));
    } else if (change instanceof RoleChange.AttachManagedPolicy c) {
      return iam.attachRolePolicy(r -> r.roleName(roleName).policyArn(c.policyArn()));
    } else if (change instanceof RoleChange.DetachManagedPolicy c) {
      return iam.detachRolePolicy(r -> r.roleName(roleName).policyArn(c.policyArn()));
    } else if (change instanceof RoleChange.PutPermissionsBoundary c) {
      return iam.putRolePermissionsBoundary(
          r -> r.roleName(roleName).permissionsBoundary(c.policyArn()));
    } else if (change instanceof RoleChange.TagRole c) {
      return iam.tagRole(r -> r.roleName(roleName).tags(IamShapes.tags(c.tags())));
    } else if (change instanceof RoleChange.UntagRole c) {
      return iam.untagRole(r -> r.roleName(roleName).tagKeys(c.keys()));
    }
    throw new IllegalArgumentException("Unknown role change " + change);
  }
}
