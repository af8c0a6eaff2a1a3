package io.secureworkload.operator.iam;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Lists the writes that turn an actual role into the desired one: nothing when they already mean
 * the same, so that a steady state makes no AWS writes.
 */
public final class RolePlanner {

  private RolePlanner() {}

  public static List<RoleChange> changes(DesiredRole desired, ActualRole actual) {
    var changes = new ArrayList<RoleChange>();
    // The boundary first: if a later change fails, the role is already bounded. It is never
    // removed here; a role loses its boundary only by hand.
    if (desired.permissionsBoundaryArn() != null
        && !desired.permissionsBoundaryArn().equals(actual.permissionsBoundaryArn())) {
      changes.add(new RoleChange.PutPermissionsBoundary(desired.permissionsBoundaryArn()));
    }
    if (!PolicyDocuments.equivalent(desired.trustPolicy(), actual.trustPolicy())) {
      changes.add(new RoleChange.UpdateTrustPolicy(desired.trustPolicy()));
    }
    if (desired.maxSessionDurationSeconds() != actual.maxSessionDurationSeconds()
        || !Objects.equals(desired.description(), emptyToNull(actual.description()))) {
      changes.add(
          new RoleChange.UpdateRoleSettings(
              desired.description(), desired.maxSessionDurationSeconds()));
    }
    planInlinePolicies(desired, actual, changes);
    planManagedPolicies(desired, actual, changes);
    planTags(desired, actual, changes);
    return changes;
  }

  /**
   * The role as it is once {@link #changes} have been applied to it: what the operator knows of a
   * role it has just written, without reading it again.
   */
  public static ActualRole applied(DesiredRole desired, ActualRole actual) {
    var tags = new HashMap<>(actual.tags());
    tags.keySet().removeAll(TrustCut.OUTLIVED_TAGS);
    tags.putAll(desired.tags());
    return actual
        .withDescription(desired.description())
        .withTrustPolicy(desired.trustPolicy())
        .withInlinePolicies(
            desired.inlinePolicy() == null
                ? Map.of()
                : Map.of(DesiredRole.INLINE_POLICY_NAME, desired.inlinePolicy()))
        .withManagedPolicyArns(desired.managedPolicyArns())
        .withMaxSessionDurationSeconds(desired.maxSessionDurationSeconds())
        .withPermissionsBoundaryArn(
            desired.permissionsBoundaryArn() == null
                ? actual.permissionsBoundaryArn()
                : desired.permissionsBoundaryArn())
        .withTags(tags);
  }

  /**
   * The role is the workload's alone: an inline policy added by hand is drift, and removed, so that
   * the role never grants more than the SecureWorkload says.
   */
  private static void planInlinePolicies(
      DesiredRole desired, ActualRole actual, List<RoleChange> changes) {
    var name = DesiredRole.INLINE_POLICY_NAME;
    var current = actual.inlinePolicies().get(name);
    if (desired.inlinePolicy() == null) {
      if (current != null) {
        changes.add(new RoleChange.DeleteInlinePolicy(name));
      }
    } else if (!PolicyDocuments.equivalent(desired.inlinePolicy(), current)) {
      changes.add(new RoleChange.PutInlinePolicy(name, desired.inlinePolicy()));
    }
    new TreeSet<>(actual.inlinePolicies().keySet())
        .stream()
            .filter(other -> !other.equals(name))
            .forEach(other -> changes.add(new RoleChange.DeleteInlinePolicy(other)));
  }

  private static void planManagedPolicies(
      DesiredRole desired, ActualRole actual, List<RoleChange> changes) {
    new TreeSet<>(actual.managedPolicyArns())
        .stream()
            .filter(arn -> !desired.managedPolicyArns().contains(arn))
            .forEach(arn -> changes.add(new RoleChange.DetachManagedPolicy(arn)));
    new TreeSet<>(desired.managedPolicyArns())
        .stream()
            .filter(arn -> !actual.managedPolicyArns().contains(arn))
            .forEach(arn -> changes.add(new RoleChange.AttachManagedPolicy(arn)));
  }

  /**
   * Only our own tags are managed; tags others put on the role (cost allocation) stay. A role that
   * outlived an earlier workload and is adopted again loses the tags that said so, after its trust
   * is restored.
   */
  private static void planTags(DesiredRole desired, ActualRole actual, List<RoleChange> changes) {
    var missing = new HashMap<String, String>();
    desired
        .tags()
        .forEach(
            (key, value) -> {
              if (!value.equals(actual.tags().get(key))) {
                missing.put(key, value);
              }
            });
    if (!missing.isEmpty()) {
      changes.add(new RoleChange.TagRole(missing));
    }
    var outlived = new TreeSet<>(TrustCut.OUTLIVED_TAGS);
    outlived.retainAll(actual.tags().keySet());
    if (!outlived.isEmpty()) {
      changes.add(new RoleChange.UntagRole(outlived));
    }
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
