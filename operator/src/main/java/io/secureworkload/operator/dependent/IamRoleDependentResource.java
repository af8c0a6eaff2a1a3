package io.secureworkload.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.NameSetter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.IamRoles;
import io.secureworkload.operator.iam.RoleChange;
import io.secureworkload.operator.iam.RolePlanner;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.EventReason;
import io.secureworkload.operator.outcome.EventRecorder;
import io.secureworkload.operator.outcome.TerminalException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The workload's IAM role. It is read from IAM on every reconciliation and written only where it
 * differs in meaning from the desired role; a role with our name but without our ownership tags is
 * never touched.
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

  private final IamRoles iamRoles;
  private final WorkloadRole workloadRole;
  private final Admission admission;
  private final boolean allowUnboundedRoles;
  private String name = DependentResource.defaultNameFor(IamRoleDependentResource.class);

  public IamRoleDependentResource(DependentServices services) {
    this.iamRoles = services.iamRoles();
    this.workloadRole = services.workloadRole();
    this.admission = services.admission();
    this.allowUnboundedRoles = services.settings().allowUnboundedRoles();
  }

  @Override
  public Part part() {
    return PART;
  }

  @Override
  public ReconcileResult<ActualRole> reconcile(
      SecureWorkload workload, Context<SecureWorkload> context) {
    var decision = admission.of(workload, context);
    decision.requireAdmitted();
    if (decision.permissionsBoundaryArn() == null && !allowUnboundedRoles) {
      throw new TerminalException(
          ConditionReason.PermissionsBoundaryMissing,
          "No permissions boundary is configured for this namespace (no SecureWorkloadPolicy and"
              + " no SW_PERMISSIONS_BOUNDARY_ARN names one), so the operator writes no IAM role;"
              + " the platform team must name one, or set SW_ALLOW_UNBOUNDED_ROLES=true.");
    }
    var namespaceUid = requireNamespaceUid(decision);
    var desired =
        workloadRole.desired(decision.admitted(), namespaceUid, decision.permissionsBoundaryArn());
    var existing = iamRoles.find(desired.name());
    if (existing.isEmpty()) {
      var created = iamRoles.create(desired);
      remember(context, created);
      recordCreated(workload, created, context);
      return ReconcileResult.resourceCreated(created);
    }
    var actual = existing.get();
    if (!workloadRole.owns(workload, namespaceUid, actual)) {
      throw new TerminalException(
          ConditionReason.RoleNotOwned,
          "IAM role "
              + actual.name()
              + " exists but is not tagged as belonging to this SecureWorkload; the operator leaves"
              + " it untouched. Ask the platform team to delete or rename that role.");
    }
    remember(context, actual);
    var changes = RolePlanner.changes(desired, actual);
    if (changes.isEmpty()) {
      return ReconcileResult.noOperation(actual);
    }
    changes.forEach(change -> iamRoles.apply(actual.name(), change));
    EventRecorder.record(
        context.getClient(),
        workload,
        EventReason.Updated,
        "Updated IAM role "
            + actual.name()
            + ": "
            + changes.stream().map(RoleChange::operation).collect(Collectors.joining(", ")));
    return ReconcileResult.resourceUpdated(actual);
  }

  @Override
  public void delete(SecureWorkload workload, Context<SecureWorkload> context) {
    var name = workloadRole.nameInUse(workload);
    // Retain only where the guardrails allow it: narrowing turns a refused Retain into Delete.
    if (workloadRole.retainOnDelete(admission.of(workload, context).admitted())) {
      markRetained(workload, name, context);
      EventRecorder.record(
          context.getClient(),
          workload,
          EventReason.Retained,
          "Kept IAM role " + name + " (deletionPolicy: Retain)");
      return;
    }
    Optional<Map<String, String>> tags = iamRoles.tags(name);
    if (tags.isEmpty()) {
      return;
    }
    var namespaceUid = requireNamespaceUid(admission.of(workload, context));
    if (!workloadRole.owns(workload, namespaceUid, tags.get())) {
      EventRecorder.record(
          context.getClient(),
          workload,
          EventReason.NotOwned,
          "Left IAM role " + name + " in place: it does not belong to this SecureWorkload");
      return;
    }
    iamRoles.delete(name);
    EventRecorder.record(
        context.getClient(),
        workload,
        EventReason.Deleted,
        "Deleted IAM role " + workloadRole.arn(workload));
  }

  /**
   * Tags a kept role so that the orphan sweep, which finds it without its SecureWorkload, leaves it
   * alone; only a role that is ours is tagged, and a role already gone needs nothing.
   */
  private void markRetained(SecureWorkload workload, String name, Context<SecureWorkload> context) {
    var tags = iamRoles.tags(name);
    if (tags.isEmpty()
        || "true".equals(tags.get().get(WorkloadRole.TAG_RETAINED))
        || !workloadRole.owns(
            workload, requireNamespaceUid(admission.of(workload, context)), tags.get())) {
      return;
    }
    iamRoles.apply(name, new RoleChange.TagRole(Map.of(WorkloadRole.TAG_RETAINED, "true")));
  }

  /**
   * A role the status already names was there before: it was deleted outside the operator, and the
   * one created now is a new incarnation that policies naming the old one do not match.
   */
  private static void recordCreated(
      SecureWorkload workload, ActualRole created, Context<SecureWorkload> context) {
    var knownArn = workload.getStatus() == null ? null : workload.getStatus().getRoleArn();
    if (knownArn == null) {
      EventRecorder.record(
          context.getClient(), workload, EventReason.Created, "Created IAM role " + created.arn());
      return;
    }
    EventRecorder.record(
        context.getClient(),
        workload,
        EventReason.DriftRepaired,
        "IAM role "
            + created.arn()
            + " was missing in AWS and has been recreated with the same name and ARN but a new"
            + " unique id: resource policies (S3 buckets, KMS keys, ...) that named the old role as"
            + " a principal no longer match it and must be saved again to name the new one");
  }

  /** The namespace is always known while its objects exist; until the informer has it, wait. */
  private static String requireNamespaceUid(Admission.Decision decision) {
    if (decision.namespaceUid() == null) {
      throw new IllegalStateException("The SecureWorkload's namespace is not in the cache yet");
    }
    return decision.namespaceUid();
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

  private static void remember(Context<SecureWorkload> context, ActualRole role) {
    context.managedWorkflowAndDependentResourceContext().put(ROLE_CONTEXT_KEY, role);
  }

  /** The role reconciled in this reconciliation, if it got that far. */
  public static Optional<ActualRole> reconciledRole(Context<SecureWorkload> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .get(ROLE_CONTEXT_KEY, ActualRole.class);
  }
}
