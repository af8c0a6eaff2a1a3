package io.secureworkload.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.IdentityStatus;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.dependent.AccountMove;
import io.secureworkload.operator.dependent.Admission;
import io.secureworkload.operator.dependent.CrdBacked;
import io.secureworkload.operator.dependent.CrdInstalled;
import io.secureworkload.operator.dependent.CrdWatch;
import io.secureworkload.operator.dependent.DefaultDenyNetworkPolicyDependentResource;
import io.secureworkload.operator.dependent.EgressNetworkPolicyDependentResource;
import io.secureworkload.operator.dependent.Envelope;
import io.secureworkload.operator.dependent.IamRoleDependentResource;
import io.secureworkload.operator.dependent.IdentitySwitch;
import io.secureworkload.operator.dependent.IngressNetworkPolicyDependentResource;
import io.secureworkload.operator.dependent.PodIdentityAssociationDependentResource;
import io.secureworkload.operator.dependent.Requested;
import io.secureworkload.operator.dependent.SecretProviderClassDependentResource;
import io.secureworkload.operator.dependent.SecurityGroupPolicyDependentResource;
import io.secureworkload.operator.dependent.ServiceAccountDependentResource;
import io.secureworkload.operator.dependent.WorkloadChanges;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.outcome.Failure;
import io.secureworkload.operator.podidentity.PodIdentityAssociations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The map of the operator: every part of a workload's security envelope, what it waits for, and
 * when it exists at all. A new part is a new dependent class and one line here: each dependent says
 * which status condition it reports on ({@link
 * io.secureworkload.operator.dependent.EnvelopeDependent}), and the status lists the parts in this
 * order.
 */
// The reconciler runs the workflow itself (explicitInvocation) and reads its errors itself
// (handleExceptionsInReconciler): cleanup() must write the Deleting status before the IAM role's
// deletion starts, and turn a deletion that fails into a status rather than a thrown exception.
@Workflow(
    explicitInvocation = true,
    handleExceptionsInReconciler = true,
    dependents = {
      // The ServiceAccount is settled first: no role trusts a ServiceAccount that is not ours.
      @Dependent(
          name = IamRoleDependentResource.NAME,
          type = IamRoleDependentResource.class,
          dependsOn = ServiceAccountDependentResource.NAME),
      // Made after the role it points at; it reports on the role's part.
      @Dependent(
          name = PodIdentityAssociationDependentResource.NAME,
          type = PodIdentityAssociationDependentResource.class,
          dependsOn = IamRoleDependentResource.NAME),
      @Dependent(
          name = ServiceAccountDependentResource.NAME,
          type = ServiceAccountDependentResource.class),
      @Dependent(
          name = SecretProviderClassDependentResource.NAME,
          type = SecretProviderClassDependentResource.class,
          activationCondition = CrdInstalled.class,
          reconcilePrecondition = Requested.class),
      @Dependent(
          name = SecurityGroupPolicyDependentResource.NAME,
          type = SecurityGroupPolicyDependentResource.class,
          activationCondition = CrdInstalled.class,
          reconcilePrecondition = Requested.class),
      // The three NetworkPolicies share the default deny's informer: one cache of the operator's
      // NetworkPolicies, not three copies of it (each finds its own by name).
      @Dependent(
          name = DefaultDenyNetworkPolicyDependentResource.NAME,
          type = DefaultDenyNetworkPolicyDependentResource.class,
          reconcilePrecondition = Requested.class),
      @Dependent(
          name = IngressNetworkPolicyDependentResource.NAME,
          type = IngressNetworkPolicyDependentResource.class,
          useEventSourceWithName = DefaultDenyNetworkPolicyDependentResource.NAME,
          reconcilePrecondition = Requested.class),
      @Dependent(
          name = EgressNetworkPolicyDependentResource.NAME,
          type = EgressNetworkPolicyDependentResource.class,
          useEventSourceWithName = DefaultDenyNetworkPolicyDependentResource.NAME,
          reconcilePrecondition = Requested.class),
    })
@ControllerConfiguration(name = SecureWorkloadReconciler.NAME)
public class SecureWorkloadReconciler
    implements Reconciler<SecureWorkload>, Cleaner<SecureWorkload> {

  public static final String NAME = "secureworkload";

  /** The dependents' names in the order of the workflow above: the order of the conditions. */
  public static final List<String> DEPENDENTS =
      Arrays.stream(SecureWorkloadReconciler.class.getAnnotation(Workflow.class).dependents())
          .map(Dependent::name)
          .toList();

  private final WorkloadRole workloadRole;
  private final Admission admission;
  private final Envelope envelope;
  private final PartOutcomes partOutcomes;
  private final StatusAggregator statusAggregator;
  private final AwsDriftSweep.Config driftSweep;
  private final WorkloadCleanup cleanup;
  private final WorkloadEvents events;

  public SecureWorkloadReconciler(
      WorkloadRole workloadRole,
      Admission admission,
      Envelope envelope,
      StatusAggregator statusAggregator,
      AwsDriftSweep.Config driftSweep) {
    this.workloadRole = workloadRole;
    this.admission = admission;
    this.envelope = envelope;
    this.partOutcomes = new PartOutcomes(envelope);
    this.statusAggregator = statusAggregator;
    this.driftSweep = driftSweep;
    this.cleanup = new WorkloadCleanup(workloadRole, envelope, statusAggregator);
    this.events = new WorkloadEvents(envelope);
  }

  /**
   * The guardrail policies and the namespaces' labels; one watch per third-party CRD a dependent
   * needs, so that installing it later is seen; and the AWS drift sweep, which re-queues the
   * workloads whose role is missing or changed in AWS and, from the same read, finds the roles
   * whose workload is gone.
   */
  @Override
  public List<EventSource<?, SecureWorkload>> prepareEventSources(
      EventSourceContext<SecureWorkload> context) {
    var sources = new ArrayList<EventSource<?, SecureWorkload>>();
    sources.add(GuardrailWatches.policies(context));
    sources.add(GuardrailWatches.namespaces(context));
    envelope.crdBacked().stream()
        .map(CrdBacked::crdName)
        .distinct()
        .forEach(crd -> sources.add(CrdWatch.eventSource(crd, context)));
    sources.add(driftSweep.eventSource(context));
    return sources;
  }

  @Override
  public UpdateControl<SecureWorkload> reconcile(
      SecureWorkload workload, Context<SecureWorkload> context) {
    WorkloadChanges.startIn(context);
    // Failed dependents fail the reconciliation as before: updateErrorStatus reports them.
    context
        .managedWorkflowAndDependentResourceContext()
        .reconcileManagedWorkflow()
        .throwAggregateExceptionIfErrorsPresent();
    var status = status(workload, context, null);
    events.record(workload, admitted(workload, context), status, context);
    var control =
        Objects.equals(status, workload.getStatus())
            ? UpdateControl.<SecureWorkload>noUpdate()
            : UpdateControl.patchStatus(withStatus(workload, status));
    // Nothing the operator watches changes while a move waits for the pods holding the old role.
    // Nor while a switch of identity modes waits for its next step or for the pods of the old mode.
    Stream.of(
            AccountMove.step(context).map(AccountMove.Step::recheckAfter),
            IdentitySwitch.planned(context).map(IdentitySwitch.Plan::recheckAfter))
        .flatMap(Optional::stream)
        .filter(Objects::nonNull)
        .min(Comparator.naturalOrder())
        .ifPresent(control::rescheduleAfter);
    return control;
  }

  @Override
  public ErrorStatusUpdateControl<SecureWorkload> updateErrorStatus(
      SecureWorkload workload, Context<SecureWorkload> context, Exception error) {
    var status = status(workload, context, error);
    events.record(workload, admitted(workload, context), status, context);
    ErrorStatusUpdateControl<SecureWorkload> control =
        Objects.equals(status, workload.getStatus())
            ? ErrorStatusUpdateControl.noStatusUpdate()
            : ErrorStatusUpdateControl.patchStatus(withStatus(workload, status));
    return PartOutcomes.allFailuresTerminal(context, error) ? control.withNoRetry() : control;
  }

  /**
   * Deletes what the workload made outside Kubernetes and says so in the status while it does
   * ({@link WorkloadCleanup}).
   */
  @Override
  public DeleteControl cleanup(SecureWorkload workload, Context<SecureWorkload> context) {
    return cleanup.cleanup(workload, context);
  }

  private SecureWorkloadStatus status(
      SecureWorkload workload, Context<SecureWorkload> context, Exception error) {
    var roleArn =
        IamRoleDependentResource.reconciledRole(context).map(ActualRole::arn).orElse(null);
    var workflowRan =
        context
            .managedWorkflowAndDependentResourceContext()
            .getWorkflowReconcileResult()
            .isPresent();
    var failure =
        error != null && !workflowRan
            ? Optional.of(Failure.classify(error))
            : Optional.<Failure>empty();
    var decision = decision(workload, context);
    var admitted = decision.map(Admission.Decision::admitted).orElse(workload);
    return statusAggregator.aggregate(
        workload.getStatus(),
        workload.getMetadata().getGeneration(),
        decision.map(GuardrailStanding::of),
        partOutcomes.of(admitted, context),
        failure,
        workloadRole.nameInUse(workload),
        roleArn,
        AccountMove.step(context),
        identity(workload, context),
        WorkloadRole.serviceAccountName(workload));
  }

  /** The identity status as this reconciliation leaves it; as it was when no part got that far. */
  private IdentityStatus identity(SecureWorkload workload, Context<SecureWorkload> context) {
    var previous = workload.getStatus() == null ? null : workload.getStatus().getIdentity();
    return IdentitySwitch.planned(context)
        .map(
            plan ->
                plan.status(
                    IamRoleDependentResource.reconciledRole(context).isPresent(),
                    PodIdentityAssociationDependentResource.made(context)
                        .map(PodIdentityAssociations.Association::id)
                        .orElse(null),
                    previous,
                    Instant.now()))
        .orElse(previous);
  }

  private SecureWorkload admitted(SecureWorkload workload, Context<SecureWorkload> context) {
    return decision(workload, context).map(Admission.Decision::admitted).orElse(workload);
  }

  /** The guardrails' decision, unless it could not be made (then the failure says why). */
  private Optional<Admission.Decision> decision(
      SecureWorkload workload, Context<SecureWorkload> context) {
    try {
      return Optional.of(admission.of(workload, context));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The condition without its times, which change without meaning anything new. */
  static Condition condition(SecureWorkloadStatus status, String type) {
    if (status == null) {
      return null;
    }
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .map(c -> c.toBuilder().lastTransitionTime(null).observedGeneration(null).build())
        .orElse(null);
  }

  static SecureWorkload withStatus(SecureWorkload workload, SecureWorkloadStatus status) {
    var patch = new SecureWorkload();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(workload.getMetadata().getName())
            .withNamespace(workload.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }
}
