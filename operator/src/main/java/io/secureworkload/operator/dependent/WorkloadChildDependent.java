package io.secureworkload.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.TerminalException;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kubernetes object the operator writes for one workload: named after it, labelled as ours, owned
 * by it, never taken over from someone else, and every create, update and delete noted among the
 * reconciliation's {@link WorkloadChanges}. Subclasses only say what the object looks like.
 */
public abstract class WorkloadChildDependent<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, SecureWorkload> implements EnvelopeDependent {

  private final Part part;
  private final Admission admission;

  protected WorkloadChildDependent(Class<R> type, Part part, DependentServices services) {
    super(type);
    this.part = part;
    this.admission = services.admission();
  }

  /**
   * Built from what the guardrails admit, never from the spec as written: while an enforced
   * violation remains, that is what exists minus what the policies refuse.
   */
  @Override
  public ReconcileResult<R> reconcile(SecureWorkload workload, Context<SecureWorkload> context) {
    var decision = admission.of(workload, context);
    if (decision.verdict().blocks()
        && !createdWhileBlocked()
        && getSecondaryResource(decision.admitted(), context).isEmpty()) {
      // Nothing new while the spec breaks an enforced rule: only what exists is tightened.
      return ReconcileResult.noOperation(null);
    }
    return super.reconcile(decision.admitted(), context);
  }

  /** The workload as the guardrails admit it, which every child is built from. */
  protected SecureWorkload admitted(SecureWorkload workload, Context<SecureWorkload> context) {
    return admission.of(workload, context).admitted();
  }

  /**
   * Whether this child may be made while an enforced violation remains: only one that takes away,
   * never one that grants.
   */
  protected boolean createdWhileBlocked() {
    return false;
  }

  @Override
  public boolean isRequested(SecureWorkload workload, Context<SecureWorkload> context) {
    return isRequested(admission.of(workload, context).admitted());
  }

  @Override
  public Part part() {
    return part;
  }

  /** The object as the spec wants it; built from the spec alone, nothing else happens here. */
  @Override
  protected abstract R desired(SecureWorkload workload, Context<SecureWorkload> context);

  /** The child's name; known without computing the whole desired object. */
  protected abstract String childName(SecureWorkload workload);

  @Override
  public Optional<String> objectName(SecureWorkload admitted, Context<SecureWorkload> context) {
    return Optional.of(childName(admitted));
  }

  /** What people call this child in events and conditions, for example "NetworkPolicy". */
  protected String displayName() {
    return resourceType().getSimpleName();
  }

  protected ObjectMeta metadata(SecureWorkload workload) {
    return new ObjectMetaBuilder()
        .withName(childName(workload))
        .withNamespace(workload.getMetadata().getNamespace())
        .withLabels(ManagedLabels.of(workload))
        .build();
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      SecureWorkload workload, Context<SecureWorkload> context) {
    return new ResourceID(childName(workload), workload.getMetadata().getNamespace());
  }

  @Override
  protected R handleCreate(R desired, SecureWorkload workload, Context<SecureWorkload> context) {
    refuseToTakeOver(desired, workload, context);
    var created = super.handleCreate(desired, workload, context);
    if (deletedOutsideTheOperator(workload)) {
      note(context, workload, WorkloadChanges.Kind.REPAIRED, "made again after it was deleted");
    } else {
      note(context, workload, WorkloadChanges.Kind.CREATED, null);
    }
    return created;
  }

  @Override
  protected R handleUpdate(
      R actual, R desired, SecureWorkload workload, Context<SecureWorkload> context) {
    var updated = super.handleUpdate(actual, desired, workload, context);
    note(
        context,
        workload,
        specUnchangedSinceLastReconcile(workload)
            ? WorkloadChanges.Kind.REPAIRED
            : WorkloadChanges.Kind.UPDATED,
        null);
    return updated;
  }

  @Override
  protected void handleDelete(
      SecureWorkload workload, R secondary, Context<SecureWorkload> context) {
    // JOSDK calls this on every reconciliation while the part is not requested, with or without
    // an object to delete.
    if (secondary == null) {
      return;
    }
    // The cache may still hold an object a reconciliation moments ago deleted: only a deletion
    // that found it is a change.
    var deleted = context.getClient().resource(secondary).delete();
    if (!deleted.isEmpty()) {
      note(context, workload, WorkloadChanges.Kind.DELETED, null);
    }
  }

  /**
   * An object with the child's name that the operator did not create for this workload is left
   * alone: taking it over could hand this workload's permissions to someone else's pods.
   */
  private void refuseToTakeOver(
      R desired, SecureWorkload workload, Context<SecureWorkload> context) {
    var existing =
        context
            .getClient()
            .resources(resourceType())
            .inNamespace(desired.getMetadata().getNamespace())
            .withName(desired.getMetadata().getName())
            .get();
    if (existing != null && !isOwnedBy(existing, workload)) {
      boolean anotherWorkloads =
          existing.getMetadata().getOwnerReferences().stream()
              .anyMatch(owner -> workload.getKind().equals(owner.getKind()));
      throw new TerminalException(
          anotherWorkloads ? conflictReason() : part.notOwned(),
          displayName()
              + " "
              + desired.getMetadata().getName()
              + " already exists and was not created for this SecureWorkload; the operator does not"
              + " take it over. "
              + howToResolveConflict());
    }
  }

  /** The reason when another SecureWorkload already made an object of this name. */
  protected ConditionReason conflictReason() {
    return part.notOwned();
  }

  protected String howToResolveConflict() {
    return "Delete or rename the existing object.";
  }

  /** Owned means: an owner reference to this very SecureWorkload, by uid, not by name. */
  static boolean isOwnedBy(HasMetadata child, SecureWorkload workload) {
    return child.getMetadata().getOwnerReferences().stream()
        .anyMatch(owner -> Objects.equals(owner.getUid(), workload.getMetadata().getUid()));
  }

  private static boolean specUnchangedSinceLastReconcile(SecureWorkload workload) {
    return workload.getStatus() != null
        && Objects.equals(
            workload.getStatus().getObservedGeneration(), workload.getMetadata().getGeneration());
  }

  /**
   * A child missing although the spec has not changed since its part was last in sync: someone
   * deleted it. A part that was not in sync (its CRD missing, a failure) gets its child for the
   * first time.
   */
  private boolean deletedOutsideTheOperator(SecureWorkload workload) {
    return specUnchangedSinceLastReconcile(workload)
        && workload.getStatus().getConditions() != null
        && workload.getStatus().getConditions().stream()
            .anyMatch(
                condition ->
                    part.conditionType().equals(condition.getType())
                        && Condition.TRUE.equals(condition.getStatus())
                        && !ConditionReason.NotRequested.name().equals(condition.getReason()));
  }

  private void note(
      Context<SecureWorkload> context,
      SecureWorkload workload,
      WorkloadChanges.Kind kind,
      String detail) {
    WorkloadChanges.in(context)
        .add(kind, name(), displayName() + " " + childName(workload), detail);
  }
}
