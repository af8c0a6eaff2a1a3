package io.secureworkload.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.DriftSweepMode;
import io.secureworkload.operator.iam.AccountUnavailableException;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.Arns;
import io.secureworkload.operator.iam.IamAccount;
import io.secureworkload.operator.iam.IdentityProviderCheck;
import io.secureworkload.operator.iam.ListedRole;
import io.secureworkload.operator.iam.WorkloadRole;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One account's part of the {@link AwsDriftSweep}: reads the cluster's OIDC provider and the
 * account's role count there, then the operator's roles in it once, reconciles the workloads whose
 * role there is missing or changed, and judges the orphans among the same roles. It reads and
 * writes only through its account's {@link IamAccount}: one account's sweep never sees another's
 * roles.
 */
final class AccountSweep {

  private static final Logger log = LoggerFactory.getLogger(AccountSweep.class);

  private final IamAccount account;
  private final WorkloadRole workloadRole;
  private final String rolePath;
  private final Duration period;
  private final DriftSweepMode mode;
  private final Supplier<Stream<SecureWorkload>> workloads;
  private final OrphanRoleSweep orphans;
  private final Consumer<ResourceID> requeue;

  /**
   * @param workloads every cached SecureWorkload; those whose role is in this account are picked
   * @param requeue hands a workload to the controller
   */
  AccountSweep(
      IamAccount account,
      WorkloadRole workloadRole,
      String rolePath,
      Duration period,
      DriftSweepMode mode,
      Supplier<Stream<SecureWorkload>> workloads,
      OrphanRoleSweep orphans,
      Consumer<ResourceID> requeue) {
    this.account = account;
    this.workloadRole = workloadRole;
    this.rolePath = rolePath;
    this.period = period;
    this.mode = mode;
    this.workloads = workloads;
    this.orphans = orphans;
    this.requeue = requeue;
  }

  IamAccount account() {
    return account;
  }

  /**
   * The provider and the quota, then the roles: a failed read of the roles fails the sweep; a
   * failure of the drift or the orphan part after it is one line in the log and spares the other.
   */
  Set<ResourceID> sweep() {
    var requeued = new HashSet<ResourceID>(checkIdentity());
    readQuota();
    long started = account.states().now();
    if (mode == DriftSweepMode.AUTHORIZATION_DETAILS) {
      var roles = account.roles().snapshot(rolePath);
      requeued.addAll(
          reportDrift(
              () ->
                  requeue(
                      differing(
                          roles,
                          ActualRole::name,
                          r -> account.states().observed(r, started),
                          started))));
      reportOrphans(() -> orphans.inSnapshot(roles));
      return requeued;
    }
    var roles = account.roles().list(rolePath);
    requeued.addAll(
        reportDrift(
            () ->
                requeue(
                    differing(
                        roles,
                        ListedRole::name,
                        r -> account.states().listed(r, started),
                        started))));
    reportOrphans(() -> orphans.inListing(roles));
    return requeued;
  }

  /** What a restarted operator knows of the account's roles before its first reconciliation. */
  void prime() {
    try {
      checkIdentity();
      readQuota();
      if (mode != DriftSweepMode.AUTHORIZATION_DETAILS) {
        return;
      }
      long started = account.states().now();
      account.roles().snapshot(rolePath).forEach(role -> account.states().observed(role, started));
    } catch (RuntimeException e) {
      log.warn(
          "AWS drift sweep could not read the roles of account {} at start: {}",
          describe(),
          e.getMessage());
    }
  }

  /**
   * Reads the provider again. When that changes whether roles here can be used (it went missing, or
   * it is back), every workload of the account is reconciled, so that its Ready says so at once:
   * the role itself is not rewritten, since nothing about it changed.
   */
  private Set<ResourceID> checkIdentity() {
    var before = account.identityAsKnown();
    IdentityProviderCheck now;
    try {
      now = account.checkIdentity();
    } catch (AccountUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("Could not read the OIDC provider of account {}: {}", describe(), e.getMessage());
      return Set.of();
    }
    log.debug("Account {}: OIDC provider {} -> {}", describe(), before.state(), now.state());
    if (before.state() == IdentityProviderCheck.State.NOT_CHECKED
        || Objects.equals(before.state(), now.state())
        || before.blocks() == now.blocks()) {
      return Set.of();
    }
    if (now.blocks()) {
      log.warn("Account {}: {}", describe(), now.problem());
    } else {
      log.info("Account {}: the cluster's OIDC provider is usable again", describe());
    }
    var ids =
        workloads
            .get()
            .filter(w -> !w.isMarkedForDeletion())
            .filter(w -> inThisAccountOrNoRoleYet(w))
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet());
    ids.forEach(requeue);
    return ids;
  }

  private void readQuota() {
    try {
      account.readQuota();
    } catch (AccountUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("Could not read the role quota of account {}: {}", describe(), e.getMessage());
    }
  }

  private Set<ResourceID> requeue(Predicate<String> differs) {
    var requeued =
        workloads
            .get()
            .filter(AccountSweep::shouldHaveRole)
            .filter(this::inThisAccount)
            .filter(workload -> differs.test(workloadRole.nameInUse(workload)))
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet());
    requeued.forEach(requeue);
    return requeued;
  }

  private boolean inThisAccount(SecureWorkload workload) {
    return account.id().equals(Arns.accountOf(workload.getStatus().getRoleArn()));
  }

  private boolean inThisAccountOrNoRoleYet(SecureWorkload workload) {
    return workload.getStatus() == null
        || workload.getStatus().getRoleArn() == null
        || inThisAccount(workload);
  }

  /**
   * Which role names need their workload reconciled: those whose role the sweep saw changed ({@code
   * changed} also updates what is known of each role), and those it did not see at all.
   */
  private <R> Predicate<String> differing(
      List<R> roles, Function<R, String> name, Predicate<R> changed, long started) {
    var present = new HashSet<String>();
    var differs = new HashSet<String>();
    for (var role : roles) {
      present.add(name.apply(role));
      if (changed.test(role)) {
        differs.add(name.apply(role));
      }
    }
    return roleName ->
        differs.contains(roleName)
            || (!present.contains(roleName) && account.states().missing(roleName, started));
  }

  /**
   * A workload whose status names its role had one. A workload still on its way there, being
   * deleted, or whose role name belongs to a role that is not its own (no ARN in the status) is
   * reconciled for other reasons already, or must not be.
   */
  private static boolean shouldHaveRole(SecureWorkload workload) {
    return !workload.isMarkedForDeletion()
        && workload.getStatus() != null
        && workload.getStatus().getRoleArn() != null;
  }

  private Set<ResourceID> reportDrift(Supplier<Set<ResourceID>> drift) {
    try {
      var requeued = drift.get();
      if (!requeued.isEmpty()) {
        log.info(
            "AWS drift sweep of account {}: IAM role missing or changed for {}, reconciling",
            describe(),
            requeued);
      }
      return requeued;
    } catch (RuntimeException e) {
      log.warn(
          "AWS drift sweep of account {} failed, next one in {}: {}",
          describe(),
          period,
          e.getMessage());
      return Set.of();
    }
  }

  private void reportOrphans(Runnable judge) {
    try {
      judge.run();
    } catch (RuntimeException e) {
      log.warn(
          "Orphan role sweep of account {} failed, next one in {}: {}",
          describe(),
          period,
          e.getMessage());
    }
  }

  private String describe() {
    return account.target().describe();
  }
}
