package io.secureworkload.operator.iam;

import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What happens to a workload's role when the workload goes: kept and tagged as retained, or
 * deleted, and in either case only when its tags say it is the workload's. Ownership is proven from
 * what is known of the role, or else from one read of its tags.
 */
public final class RoleDeletion {

  private final IamRoles iamRoles;
  private final RoleStates roleStates;

  public RoleDeletion(IamRoles iamRoles, RoleStates roleStates) {
    this.iamRoles = iamRoles;
    this.roleStates = roleStates;
  }

  /** What a deletion did. */
  public enum Result {
    /** The role is gone. */
    DELETED,
    /** There was no role to delete. */
    ALREADY_GONE,
    /** The role is someone else's and stays. */
    NOT_OWNED,
    /** The role stays (deletionPolicy: Retain), tagged as retained where it is ours. */
    RETAINED
  }

  /**
   * Tags a kept role so that the orphan sweep, which finds it without its SecureWorkload, leaves it
   * alone; only a role that is ours is tagged, and a role already gone needs nothing.
   */
  public Result retain(String roleName, Predicate<Map<String, String>> ours) {
    var tags = iamRoles.tags(roleName);
    if (tags.isPresent()
        && !"true".equals(tags.get().get(WorkloadRole.TAG_RETAINED))
        && ours.test(tags.get())) {
      iamRoles.apply(roleName, new RoleChange.TagRole(Map.of(WorkloadRole.TAG_RETAINED, "true")));
    }
    return Result.RETAINED;
  }

  /**
   * Deletes the role if it is ours. What it holds is what was last known of it, or else what the
   * operator gave it ({@code desired}); anything added by hand since makes IAM refuse, and the
   * deletion then reads the role ({@link IamRoles#delete(ActualRole)}).
   */
  public Result delete(
      String roleName, Predicate<Map<String, String>> ours, Supplier<DesiredRole> desired) {
    var known = roleStates.known(roleName);
    var tags = known.isPresent() ? known.map(ActualRole::tags) : iamRoles.tags(roleName);
    if (tags.isEmpty()) {
      roleStates.forget(roleName);
      return Result.ALREADY_GONE;
    }
    if (!ours.test(tags.get())) {
      return Result.NOT_OWNED;
    }
    var holding =
        known.orElseGet(
            () ->
                RolePlanner.applied(
                    desired.get(), ActualRole.named(roleName).withTags(tags.get())));
    roleStates.forget(roleName);
    iamRoles.delete(holding);
    return Result.DELETED;
  }
}
