package io.secureworkload.operator.iam;

import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.awscall.AwsFailureKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one role to the desired one and says what it did. IAM is read only when what is known of
 * the role ({@link RoleStates}) does not already mean the desired one; a role of which nothing is
 * known and which no status names is created without a look first; a role is written only where it
 * differs in meaning; and a role without the workload's ownership tags is never touched.
 */
public final class RoleSync {

  private static final Logger log = LoggerFactory.getLogger(RoleSync.class);

  private final IamRoles iamRoles;
  private final RoleStates roleStates;

  public RoleSync(IamRoles iamRoles, RoleStates roleStates) {
    this.iamRoles = iamRoles;
    this.roleStates = roleStates;
  }

  /** What a sync did; {@link #role()} is the role as it now is, for those who need its ARN. */
  public sealed interface Result {
    ActualRole role();
  }

  /** What was known already meant the desired role: no IAM call. */
  public record Unchanged(ActualRole role) implements Result {}

  /** Read from IAM, ours by its tags, and already the desired role: nothing written. */
  public record Adopted(ActualRole role) implements Result {}

  /**
   * Made just now.
   *
   * @param replacesAnother a role of this name was known to the workload before (its status named
   *     it): it was deleted outside the operator, and this is a new incarnation
   */
  public record Created(ActualRole role, boolean replacesAnother) implements Result {}

  /** Ours, and brought to the desired role with these writes. */
  public record Updated(ActualRole role, List<RoleChange> changes) implements Result {}

  /** A role of this name exists without the workload's ownership tags: left untouched. */
  public record NotOwned(ActualRole role) implements Result {}

  /**
   * IAM refused for good a policy of the role just created (a managed policy that does not exist:
   * the case no admission check can see); the role made for it was deleted again unless {@code
   * deletedAgain} is false, and is then retried with the workload's deletion.
   */
  public record Refused(ActualRole role, AwsCallException error, boolean deletedAgain)
      implements Result {}

  public Result sync(
      DesiredRole desired, Predicate<Map<String, String>> ours, boolean statusNamesARole) {
    return sync(desired, ours, statusNamesARole, role -> {});
  }

  /**
   * @param ours whether a role's tags say it belongs to the workload
   * @param statusNamesARole the workload's status names a role: it existed before, so it is looked
   *     for rather than created blind
   * @param owned told the role as soon as it is known to be the workload's, before any write to it:
   *     a write that fails still leaves the status the role's ARN
   */
  public Result sync(
      DesiredRole desired,
      Predicate<Map<String, String>> ours,
      boolean statusNamesARole,
      Consumer<ActualRole> owned) {
    try {
      return syncOrFail(desired, ours, statusNamesARole, owned);
    } catch (RuntimeException e) {
      roleStates.forget(desired.name());
      throw e;
    }
  }

  private Result syncOrFail(
      DesiredRole desired,
      Predicate<Map<String, String>> ours,
      boolean statusNamesARole,
      Consumer<ActualRole> owned) {
    var known = roleStates.matching(desired);
    if (known.isPresent()) {
      owned.accept(known.get());
      return new Unchanged(known.get());
    }
    if (roleStates.unknown(desired.name()) && !statusNamesARole) {
      var created = createIfAbsent(desired, owned);
      if (created.isPresent()) {
        return created.get();
      }
    }
    var existing = iamRoles.find(desired.name());
    if (existing.isEmpty()) {
      return createWhole(desired, statusNamesARole, owned);
    }
    var actual = existing.get();
    if (!ours.test(actual.tags())) {
      // Known to be there and someone else's: the next reconciliation looks, it does not create.
      roleStates.foreign(actual);
      return new NotOwned(actual);
    }
    owned.accept(actual);
    var changes = RolePlanner.changes(desired, actual);
    if (changes.isEmpty()) {
      roleStates.read(desired, actual);
      return new Adopted(actual);
    }
    changes.forEach(change -> iamRoles.apply(actual.name(), change));
    roleStates.written(desired, actual);
    return new Updated(actual, changes);
  }

  /** Empty when IAM already has a role of that name: then it must be looked at, and may be ours. */
  private Optional<Result> createIfAbsent(DesiredRole desired, Consumer<ActualRole> owned) {
    try {
      return Optional.of(createWhole(desired, false, owned));
    } catch (AwsCallException e) {
      if ("CreateRole".equals(e.operation()) && e.kind() == AwsFailureKind.CONFLICT) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * CreateRole, then its inline policy and managed policies. When IAM refuses one of those for
   * good, the role just made is deleted again: a workload stalled on bad input keeps no half-made
   * role.
   */
  private Result createWhole(
      DesiredRole desired, boolean replacesAnother, Consumer<ActualRole> owned) {
    ActualRole created;
    try {
      created = iamRoles.create(desired);
    } catch (AwsCallException e) {
      if ("CreateRole".equals(e.operation()) || !e.kind().requestMustChange()) {
        throw e;
      }
      return new Refused(ActualRole.named(desired.name()), e, deleteHalfMade(desired.name()));
    }
    roleStates.written(desired, created);
    owned.accept(created);
    return new Created(created, replacesAnother);
  }

  private boolean deleteHalfMade(String roleName) {
    try {
      iamRoles.delete(roleName);
      roleStates.forget(roleName);
      return true;
    } catch (RuntimeException e) {
      log.warn("Could not delete the half-made IAM role {}: {}", roleName, e.getMessage());
      return false;
    }
  }
}
