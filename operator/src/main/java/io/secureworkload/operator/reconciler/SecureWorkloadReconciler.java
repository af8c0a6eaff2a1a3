package io.secureworkload.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.dependent.IamRoleDependentResource;
import io.secureworkload.operator.dependent.ServiceAccountDependentResource;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.WorkloadRole;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** The map of the operator: every part of a workload's security envelope, and what it waits for. */
@Workflow(
    dependents = {
      @Dependent(name = Part.IAM_ROLE_DEPENDENT, type = IamRoleDependentResource.class),
      @Dependent(
          name = Part.SERVICE_ACCOUNT_DEPENDENT,
          type = ServiceAccountDependentResource.class,
          dependsOn = Part.IAM_ROLE_DEPENDENT),
    })
@ControllerConfiguration(name = SecureWorkloadReconciler.NAME)
public class SecureWorkloadReconciler implements Reconciler<SecureWorkload> {

  public static final String NAME = "secureworkload";

  private final WorkloadRole workloadRole;
  private final StatusAggregator statusAggregator;

  public SecureWorkloadReconciler(WorkloadRole workloadRole, StatusAggregator statusAggregator) {
    this.workloadRole = workloadRole;
    this.statusAggregator = statusAggregator;
  }

  @Override
  public UpdateControl<SecureWorkload> reconcile(
      SecureWorkload workload, Context<SecureWorkload> context) {
    var status = status(workload, context);
    if (Objects.equals(status, workload.getStatus())) {
      return UpdateControl.noUpdate();
    }
    return UpdateControl.patchStatus(withStatus(workload, status));
  }

  @Override
  public ErrorStatusUpdateControl<SecureWorkload> updateErrorStatus(
      SecureWorkload workload, Context<SecureWorkload> context, Exception error) {
    var status = status(workload, context, error);
    boolean terminal = isTerminal(status, error, context);
    if (!Objects.equals(readyCondition(status), readyCondition(workload.getStatus()))) {
      EventRecorder.record(
          context.getClient(),
          workload,
          EventReason.ReconcileFailed,
          readyCondition(status).getMessage());
    }
    ErrorStatusUpdateControl<SecureWorkload> control =
        Objects.equals(status, workload.getStatus())
            ? ErrorStatusUpdateControl.noStatusUpdate()
            : ErrorStatusUpdateControl.patchStatus(withStatus(workload, status));
    return terminal ? control.withNoRetry() : control;
  }

  private SecureWorkloadStatus status(SecureWorkload workload, Context<SecureWorkload> context) {
    return status(workload, context, null);
  }

  private SecureWorkloadStatus status(
      SecureWorkload workload, Context<SecureWorkload> context, Exception error) {
    var result = context.managedWorkflowAndDependentResourceContext().getWorkflowReconcileResult();
    Map<Part, PartOutcome> outcomes = new EnumMap<>(Part.class);
    if (result.isPresent()) {
      for (var part : Part.values()) {
        outcomes.put(part, outcome(part, result.get()));
      }
    } else if (error != null) {
      outcomes.put(Part.IAM_ROLE, PartOutcome.failed(Failure.classify(error)));
    }
    var roleArn =
        IamRoleDependentResource.reconciledRole(context).map(ActualRole::arn).orElse(null);
    return statusAggregator.aggregate(
        workload.getStatus(),
        workload.getMetadata().getGeneration(),
        outcomes,
        workloadRole.name(workload),
        roleArn,
        WorkloadRole.serviceAccountName(workload));
  }

  private static PartOutcome outcome(Part part, WorkflowReconcileResult result) {
    var dependent = result.getDependentResourceByName(part.dependentName());
    if (dependent.isEmpty()) {
      return PartOutcome.pending(
          "WaitingForDependencies", part.displayName() + " waits for the parts it depends on");
    }
    var error = result.getErroredDependents().get(dependent.get());
    if (error != null) {
      return PartOutcome.failed(Failure.classify(error));
    }
    if (result.getNotReadyDependents().contains(dependent.get())) {
      return PartOutcome.pending("NotReady", part.displayName() + " is not ready yet");
    }
    return PartOutcome.ready("InSync", part.displayName() + " matches the spec");
  }

  private static boolean isTerminal(
      SecureWorkloadStatus status, Exception error, Context<SecureWorkload> context) {
    var result = context.managedWorkflowAndDependentResourceContext().getWorkflowReconcileResult();
    if (result.isEmpty()) {
      return Failure.classify(error).terminal();
    }
    var errors = result.get().getErroredDependents().values();
    return !errors.isEmpty() && errors.stream().allMatch(e -> Failure.classify(e).terminal());
  }

  private static io.secureworkload.operator.api.Condition readyCondition(
      SecureWorkloadStatus status) {
    if (status == null) {
      return null;
    }
    return status.getConditions().stream()
        .filter(c -> StatusAggregator.READY.equals(c.getType()))
        .findFirst()
        .map(c -> c.toBuilder().lastTransitionTime(null).observedGeneration(null).build())
        .orElse(null);
  }

  private static SecureWorkload withStatus(SecureWorkload workload, SecureWorkloadStatus status) {
    var patch = new SecureWorkload();
    patch.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(workload.getMetadata().getName())
            .withNamespace(workload.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }
}
