package io.secureworkload.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.NameSetter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.DesiredRole;
import io.secureworkload.operator.iam.IamRoles;
import io.secureworkload.operator.iam.RoleChange;
import io.secureworkload.operator.iam.RolePlanner;
import io.secureworkload.operator.iam.RoleStates;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.EventReason;
import io.secureworkload.operator.outcome.EventRecorder;
import io.secureworkload.operator.outcome.Failure;
import io.secureworkload.operator.outcome.TerminalException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workload's IAM role. It is read from IAM only when what the operator knows of it ({@link
 * RoleStates}: the last read, write or AWS drift sweep) does not already mean the desired role, and
 * written only where it differs in meaning; a role with our name but without our ownership tags is
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

  private static final String ENTITY_ALREADY_EXISTS = "EntityAlreadyExists";
  private static final String CREATE_ROLE = "CreateRole";
  private static final Logger log = LoggerFactory.getLogger(IamRoleDependentResource.class);

  private final IamRoles iamRoles;
  private final RoleStates roleStates;
  private final WorkloadRole workloadRole;
  private final Admission admission;
  private final boolean allowUnboundedRoles;
  private String name = DependentResource.defaultNameFor(IamRoleDependentResource.class);

  public IamRoleDependentResource(DependentServices services) {
    this.iamRoles = services.iamRoles();
    this.roleStates = services.roleStates();
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
    try {
      return reconcile(workload, desired, namespaceUid, context);
    } catch (TerminalException e) {
      throw e;
    } catch (RuntimeException e) {
      roleStates.forget(desired.name());
      throw e;
    }
  }

  /**
   * IAM is read only when what is known of the role does not already mean the desired one, and a
   * role of which nothing is known is created without a look first: a new workload costs its writes
   * only.
   */
  private ReconcileResult<ActualRole> reconcile(
      SecureWorkload workload,
      DesiredRole desired,
      String namespaceUid,
      Context<SecureWorkload> context) {
    var known = roleStates.matching(desired);
    if (known.isPresent()) {
      remember(context, known.get());
      return ReconcileResult.noOperation(known.get());
    }
    if (roleStates.unknown(desired.name()) && knownArn(workload) == null) {
      var created = createIfAbsent(desired);
      if (created.isPresent()) {
        return created(workload, desired, created.get(), context);
      }
    }
    var existing = iamRoles.find(desired.name());
    if (existing.isEmpty()) {
      return created(workload, desired, createWhole(desired), context);
    }
    var actual = existing.get();
    if (!workloadRole.owns(workload, namespaceUid, actual)) {
      // Known to be there and someone else's: the next reconciliation looks, it does not create.
      roleStates.foreign(actual);
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
      roleStates.read(desired, actual);
      return ReconcileResult.noOperation(actual);
    }
    changes.forEach(change -> iamRoles.apply(actual.name(), change));
    roleStates.written(desired, actual);
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

  /** Empty when IAM already has a role of that name: then it must be looked at, and may be ours. */
  private Optional<ActualRole> createIfAbsent(DesiredRole desired) {
    try {
      return Optional.of(createWhole(desired));
    } catch (AwsCallException e) {
      if (ENTITY_ALREADY_EXISTS.equals(e.errorCode())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * CreateRole, then its inline policy and managed policies. When IAM refuses one of those for good
   * (a managed policy that does not exist is the case no admission check can see), the role just
   * made is deleted again: a workload stalled on bad input keeps no half-made role, and the
   * condition names the spec field.
   */
  private ActualRole createWhole(DesiredRole desired) {
    try {
      return iamRoles.create(desired);
    } catch (AwsCallException e) {
      if (CREATE_ROLE.equals(e.operation()) || !Failure.classify(e).terminal()) {
        throw e;
      }
      boolean deleted = deleteHalfMade(desired.name());
      throw new TerminalException(
          ConditionReason.AwsRejected,
          specFieldOf(e.operation())
              + ": "
              + e.getMessage()
              + (deleted
                  ? "; the role made for it was deleted again, nothing is kept until the spec"
                      + " changes"
                  : "; the role made for it could not be deleted yet and is retried with the"
                      + " workload's deletion"));
    }
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

  private static String specFieldOf(String operation) {
    return switch (operation) {
      case "AttachRolePolicy" -> "spec.iam.managedPolicyArns";
      case "PutRolePolicy" -> "spec.iam.statements";
      default -> "spec.iam";
    };
  }

  private ReconcileResult<ActualRole> created(
      SecureWorkload workload,
      DesiredRole desired,
      ActualRole created,
      Context<SecureWorkload> context) {
    roleStates.written(desired, created);
    remember(context, created);
    recordCreated(workload, created, context);
    return ReconcileResult.resourceCreated(created);
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
    var decision = admission.of(workload, context);
    var known = roleStates.known(name);
    Optional<Map<String, String>> tags =
        known.isPresent() ? known.map(ActualRole::tags) : iamRoles.tags(name);
    if (tags.isEmpty()) {
      roleStates.forget(name);
      return;
    }
    var namespaceUid = requireNamespaceUid(decision);
    if (!workloadRole.owns(workload, namespaceUid, tags.get())) {
      EventRecorder.record(
          context.getClient(),
          workload,
          EventReason.NotOwned,
          "Left IAM role " + name + " in place: it does not belong to this SecureWorkload");
      return;
    }
    // What the role holds is what was last known of it, or else what the operator gave it;
    // anything added by hand since makes IAM refuse, and the deletion then reads the role.
    var holding =
        known.orElseGet(
            () ->
                RolePlanner.applied(
                    workloadRole.desired(
                        decision.admitted(), namespaceUid, decision.permissionsBoundaryArn()),
                    new ActualRole(
                        name,
                        null,
                        null,
                        null,
                        null,
                        null,
                        Map.of(),
                        Set.of(),
                        0,
                        null,
                        tags.get())));
    roleStates.forget(name);
    iamRoles.delete(holding);
    EventRecorder.record(
        context.getClient(),
        workload,
        EventReason.Deleted,
        "Deleted IAM role " + workloadRole.arn(workload));
  }

  private static String knownArn(SecureWorkload workload) {
    return workload.getStatus() == null ? null : workload.getStatus().getRoleArn();
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
    if (knownArn(workload) == null) {
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
