package io.secureworkload.operator.dependent;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.secureworkload.operator.api.PreviousRole;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.iam.AccountTarget;
import io.secureworkload.operator.iam.AccountUnavailableException;
import io.secureworkload.operator.iam.Arns;
import io.secureworkload.operator.iam.IamAccount;
import io.secureworkload.operator.iam.IamAccounts;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.outcome.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A namespace moved to another account: the workload's role is made in the new account first, the
 * ServiceAccount switched to it next, and the role left in the old account ({@link PreviousRole})
 * deleted last, once no pod that started before the switch runs (such a pod holds the old ARN until
 * it restarts) or once {@code SW_ROLE_SWITCH_GRACE_PERIOD} has passed since the switch.
 */
public final class AccountMove {

  /** How long to wait for the reconciliation that switches the ServiceAccount. */
  static final Duration UNTIL_SWITCH = Duration.ofSeconds(1);

  private static final String CONTEXT_KEY = "secureworkload.io/account-move";

  /** Lists the pods of a namespace that run as a ServiceAccount. */
  @FunctionalInterface
  public interface ServiceAccountPods {
    List<Pod> list(Context<SecureWorkload> context, String namespace, String serviceAccount);

    ServiceAccountPods API_SERVER =
        (context, namespace, serviceAccount) ->
            context
                .getClient()
                .pods()
                .inNamespace(namespace)
                .withField("spec.serviceAccountName", serviceAccount)
                .list()
                .getItems();
  }

  /**
   * How a move stands after this reconciliation.
   *
   * @param previousRole the role still left in the old account; null when none is
   * @param recheckAfter when to look again; null when nothing waits
   */
  public record Step(PreviousRole previousRole, Duration recheckAfter) {}

  private final IamAccounts accounts;
  private final WorkloadRole workloadRole;
  private final PodsBeforeSwitch podsBeforeSwitch;
  private final Clock clock;

  public AccountMove(
      IamAccounts accounts,
      WorkloadRole workloadRole,
      Duration gracePeriod,
      ServiceAccountPods pods,
      Clock clock) {
    this.accounts = accounts;
    this.workloadRole = workloadRole;
    this.podsBeforeSwitch = new PodsBeforeSwitch(pods, gracePeriod, clock);
    this.clock = clock;
  }

  /** The step of this reconciliation, if the role's part got that far. */
  public static Optional<Step> step(Context<SecureWorkload> context) {
    return context.managedWorkflowAndDependentResourceContext().get(CONTEXT_KEY, Step.class);
  }

  /**
   * The role left behind that the status names next: as this reconciliation's step says, or, when
   * the role's part did not get that far, as the status had it.
   */
  public static PreviousRole previousRole(
      Optional<Step> step, SecureWorkloadStatus status, String roleArn) {
    return step.isPresent() ? step.get().previousRole() : leftBehind(status, roleArn);
  }

  /**
   * The role left in another account once the status names {@code roleArn}: the one the status
   * already names as left behind, or the role the status names now if it lives elsewhere. A
   * previous role in the account moved back to is the workload's role again, not one left behind.
   */
  public static PreviousRole leftBehind(SecureWorkloadStatus status, String roleArn) {
    if (status == null || roleArn == null) {
      return status == null ? null : status.getPreviousRole();
    }
    var account = Arns.accountOf(roleArn);
    var previous = status.getPreviousRole();
    if (previous != null && !Objects.equals(Arns.accountOf(previous.getArn()), account)) {
      return previous;
    }
    var current = status.getRoleArn();
    if (current != null && !Objects.equals(Arns.accountOf(current), account)) {
      return new PreviousRole(current, null);
    }
    return null;
  }

  /**
   * The account the role is synced in: the one the policies name, except while a role left by an
   * earlier move still waits for its pods; then the next move waits too, so that no more than one
   * old role is ever left behind.
   */
  IamAccount accountToSync(
      SecureWorkload workload, Admission.Decision decision, Context<SecureWorkload> context) {
    var status = workload.getStatus();
    var target = decision.account().id();
    var current = Admission.currentAccountId(workload);
    if (status == null
        || status.getPreviousRole() == null
        || current == null
        || current.equals(target)
        || target.equals(Arns.accountOf(status.getPreviousRole().getArn()))) {
      return accounts.of(decision.account());
    }
    return reachable(current, context);
  }

  /**
   * Takes the move one step on, after the role was synced in {@code account}: records when the
   * ServiceAccount switched, and deletes the old role once no pod needs it. The step is shared
   * before the old account is called, so that a failure there keeps the previous role in the
   * status.
   *
   * @param serviceAccountRoleArn the ARN the ServiceAccount was given in this reconciliation
   */
  void settle(
      SecureWorkload workload,
      Admission.Decision decision,
      IamAccount account,
      String serviceAccountRoleArn,
      Context<SecureWorkload> context) {
    var previous = leftBehind(workload.getStatus(), workloadRole.arn(workload, account.id()));
    // A move that waited for the old role to go starts once it went, with nothing else to wake it.
    var nextMove = account.id().equals(decision.account().id()) ? null : UNTIL_SWITCH;
    if (previous == null) {
      share(context, new Step(null, nextMove));
      return;
    }
    if (previous.getSwitchedAt() == null) {
      if (!account.id().equals(Arns.accountOf(serviceAccountRoleArn))) {
        share(context, new Step(previous, UNTIL_SWITCH));
        return;
      }
      previous = new PreviousRole(previous.getArn(), now().toString());
    }
    // Shared before the pods are listed: a failed list must not lose the time of the switch.
    share(context, new Step(previous, null));
    var wait = stillNeeded(workload, previous, context);
    share(context, new Step(previous, wait.orElse(null)));
    if (wait.isPresent()) {
      return;
    }
    delete(workload, decision, previous.getArn(), context);
    share(context, new Step(null, nextMove));
  }

  /**
   * Deletes the role the workload left in its old account, if it left one: with the workload's
   * deletion, the old role goes with the new one.
   */
  void deleteLeftBehind(
      SecureWorkload workload, Admission.Decision decision, Context<SecureWorkload> context) {
    var status = workload.getStatus();
    if (status != null && status.getPreviousRole() != null) {
      delete(workload, decision, status.getPreviousRole().getArn(), context);
    }
  }

  /** How long the old role must still stay ({@link PodsBeforeSwitch}); empty when it may go. */
  private Optional<Duration> stillNeeded(
      SecureWorkload workload, PreviousRole previous, Context<SecureWorkload> context) {
    return podsBeforeSwitch.stillNeeded(
        context,
        workload.getMetadata().getNamespace(),
        WorkloadRole.serviceAccountName(workload),
        Instant.parse(previous.getSwitchedAt()));
  }

  private void delete(
      SecureWorkload workload,
      Admission.Decision decision,
      String roleArn,
      Context<SecureWorkload> context) {
    var namespaceUid = decision.requireNamespaceUid();
    var account = reachable(Arns.accountOf(roleArn), context);
    var roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
    var result =
        workloadRole
            .deletion(account)
            .delete(
                roleName,
                tags -> workloadRole.owns(workload, namespaceUid, tags),
                () -> decision.desiredRole(workloadRole, account.id()));
    IamRoleMessages.event(result, roleName, () -> roleArn)
        .ifPresent(
            note ->
                EventRecorder.record(context.getClient(), workload, note.reason(), note.message()));
  }

  /**
   * The account of this id as the operator reaches it: set up already, or named by a policy in the
   * cache. An account neither is cannot be reached: the operator does not know which role to assume
   * there.
   */
  IamAccount reachable(String accountId, Context<SecureWorkload> context) {
    return accounts
        .known(accountId)
        .or(
            () ->
                Admission.policies(context).stream()
                    .map(policy -> policy.getSpec().getAccount())
                    .filter(mapping -> mapping != null && accountId.equals(mapping.getId()))
                    .findFirst()
                    .map(mapping -> accounts.of(Admission.target(mapping))))
        .orElseThrow(
            () ->
                new AccountUnavailableException(
                    AccountTarget.home(accountId),
                    "no SecureWorkloadPolicy names this account any more, so the operator does"
                        + " not know which role to assume there; name it again in a policy's"
                        + " spec.account, or delete the role left there by hand",
                    null));
  }

  private static void share(Context<SecureWorkload> context, Step step) {
    context.managedWorkflowAndDependentResourceContext().put(CONTEXT_KEY, step);
  }

  private Instant now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
  }
}
