package io.secureworkload.operator.iam;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What happens to a workload's role when the workload goes: kept with its trust cut, or deleted,
 * and in either case only when its tags say it is the workload's. Ownership is proven from what is
 * known of the role, or else from one read of its tags.
 */
public final class RoleDeletion {

  private final IamRoles iamRoles;
  private final RoleStates roleStates;
  private final TrustCut trustCut;

  public RoleDeletion(IamRoles iamRoles, RoleStates roleStates, TrustCut trustCut) {
    this.iamRoles = iamRoles;
    this.roleStates = roleStates;
    this.trustCut = trustCut;
  }

  /** What a deletion did. */
  public enum Result {
    /** The role is gone. */
    DELETED,
    /** There was no role to delete. */
    ALREADY_GONE,
    /** The role is someone else's and stays. */
    NOT_OWNED,
    /** The role stays (deletionPolicy: Retain), ours, tagged as retained and its trust cut. */
    RETAINED
  }

  /**
   * Keeps the role, but no ServiceAccount can assume it any more ({@link TrustCut}); only a role
   * that is ours is touched. The trust is written on every attempt (one write): a role whose trust
   * someone restored by hand under the mark is cut all the same. The ownership tags are completed
   * with the mark, so that the namespace the role belongs to can prove it later, uid included.
   *
   * @param desired the role the operator would give the workload: its ownership tags
   */
  public Result retain(
      String roleName, Predicate<Map<String, String>> ours, Supplier<DesiredRole> desired) {
    var tags = iamRoles.tags(roleName);
    roleStates.forget(roleName);
    if (tags.isEmpty()) {
      return Result.ALREADY_GONE;
    }
    if (!ours.test(tags.get())) {
      return Result.NOT_OWNED;
    }
    var marks = new HashMap<>(desired.get().tags());
    marks.put(WorkloadRole.TAG_RETAINED, "true");
    trustCut.cut(roleName, tags.get(), TrustCut.Reason.RETAINED, marks);
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
