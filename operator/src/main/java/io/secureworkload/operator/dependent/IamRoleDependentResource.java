package io.secureworkload.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.NameSetter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.iam.AccountUnavailableException;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.DesiredRole;
import io.secureworkload.operator.iam.IamAccount;
import io.secureworkload.operator.iam.IamAccounts;
import io.secureworkload.operator.iam.RoleDeletion;
import io.secureworkload.operator.iam.RoleSync;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.EventRecorder;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The workload's IAM role, as JOSDK sees it: what the guardrails admit goes to {@link RoleSync}
 * (or, when the workload goes, to {@link RoleDeletion}), and what they did becomes a noted change
 * (an Event of its own when the role is deleted or kept), an error for the status, and the role
 * other dependents read its ARN from.
 */
public class IamRoleDependentResource
    implements DependentResource<ActualRole, SecureWorkload>,
        Deleter<SecureWorkload>,
        NameSetter,
        EnvelopeDependent {

  public static final String NAME = "iam-role";

  static final Part PART = new Part("IAMRoleReady", "IAM role", null, ConditionReason.RoleNotOwned);

  /** Where the reconciled role is left for the dependents that need its ARN. */
  public static final String ROLE_CONTEXT_KEY = "secureworkload.io/iam-role";

  private final IamAccounts accounts;
  private final WorkloadRole workloadRole;
  private final Admission admission;
  private final boolean allowUnboundedRoles;
  private final AccountMove move;
  private final IdentitySwitch identitySwitch;
  private String name = DependentResource.defaultNameFor(IamRoleDependentResource.class);

  public IamRoleDependentResource(DependentServices services) {
    this.accounts = services.accounts();
    this.workloadRole = services.workloadRole();
    this.admission = services.admission();
    this.allowUnboundedRoles = services.settings().allowUnboundedRoles();
    this.identitySwitch = services.identitySwitch();
    this.move =
        new AccountMove(
            accounts,
            workloadRole,
            services.settings().roleSwitchGracePeriod(),
            services.pods(),
            services.clock());
  }

  @Override
  public Part part() {
    return PART;
  }

  @Override
  public ReconcileResult<ActualRole> reconcile(
      SecureWorkload workload, Context<SecureWorkload> context) {
    var decision = admission.of(workload, context);
    decision.requireRoleAllowed();
    if (decision.permissionsBoundaryArn() == null && !allowUnboundedRoles) {
      throw IamRoleMessages.noBoundary();
    }
    var account = move.accountToSync(workload, decision, context);
    var trusted = identitySwitch.plan(workload, context).trusted();
    // The OIDC provider serves IRSA only: a role trusted by Pod Identity alone does not need it.
    if (trusted.contains(IdentityMode.IRSA)) {
      account.requireIdentity();
    }
    var desired = decision.desiredRole(workloadRole, account.id(), trusted);
    var result =
        new RoleSync(account.roles(), account.states())
            .sync(
                desired,
                ours(workload, decision),
                account.id().equals(Admission.currentAccountId(workload)),
                role ->
                    context
                        .managedWorkflowAndDependentResourceContext()
                        .put(ROLE_CONTEXT_KEY, role));
    var failure = IamRoleMessages.failure(result, decision.namespaceUid());
    if (failure != null) {
      throw failure;
    }
    IamRoleMessages.noteChange(result, WorkloadChanges.in(context));
    move.settle(
        workload,
        decision,
        account,
        ServiceAccountDependentResource.roleArnInUse(workload, decision),
        context);
    if (result instanceof RoleSync.Created) {
      return ReconcileResult.resourceCreated(result.role());
    }
    return result instanceof RoleSync.Updated
        ? ReconcileResult.resourceUpdated(result.role())
        : ReconcileResult.noOperation(result.role());
  }

  @Override
  public void delete(SecureWorkload workload, Context<SecureWorkload> context) {
    var name = workloadRole.nameInUse(workload);
    var decision = admission.of(workload, context);
    var account = accountOfRole(workload, decision, context);
    var deletion = workloadRole.deletion(account);
    Supplier<DesiredRole> desired = () -> decision.desiredRole(workloadRole, account.id());
    // Retain only where the guardrails allow it: narrowing turns a refused Retain into Delete.
    var result =
        workloadRole.retainOnDelete(decision.admitted())
            ? deletion.retain(name, ours(workload, decision), desired)
            : deletion.delete(name, ours(workload, decision), desired);
    IamRoleMessages.event(result, name, () -> workloadRole.arn(workload, account.id()))
        .ifPresent(note -> record(context, workload, note));
    move.deleteLeftBehind(workload, decision, context);
  }

  /**
   * Where the role to delete lives: the account its status names (the policies may have moved the
   * namespace since), when the operator can reach it; else the account the policies name now.
   */
  private IamAccount accountOfRole(
      SecureWorkload workload, Admission.Decision decision, Context<SecureWorkload> context) {
    var current = Admission.currentAccountId(workload);
    if (current == null || current.equals(decision.account().id())) {
      return accounts.of(decision.account());
    }
    try {
      return move.reachable(current, context);
    } catch (AccountUnavailableException e) {
      return accounts.of(decision.account());
    }
  }

  @Override
  public Optional<String> objectName(SecureWorkload admitted, Context<SecureWorkload> context) {
    return reconciledRole(context).map(ActualRole::arn);
  }

  /** Ownership by tags; the namespace's uid is asked for only once a role is there to judge. */
  private Predicate<Map<String, String>> ours(
      SecureWorkload workload, Admission.Decision decision) {
    return tags -> workloadRole.owns(workload, decision.requireNamespaceUid(), tags);
  }

  private static void record(
      Context<SecureWorkload> context, SecureWorkload workload, IamRoleMessages.Note note) {
    EventRecorder.record(context.getClient(), workload, note.reason(), note.message());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void setName(String name) {
    this.name = name;
  }

  @Override
  public Class<ActualRole> resourceType() {
    return ActualRole.class;
  }

  /** The role reconciled in this reconciliation, if it got that far. */
  public static Optional<ActualRole> reconciledRole(Context<SecureWorkload> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .get(ROLE_CONTEXT_KEY, ActualRole.class);
  }
}
