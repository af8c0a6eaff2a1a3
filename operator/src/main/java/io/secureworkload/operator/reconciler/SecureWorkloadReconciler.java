package io.secureworkload.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.dependent.CrdInstalled;
import io.secureworkload.operator.dependent.CrdWatch;
import io.secureworkload.operator.dependent.DefaultDenyNetworkPolicyDependentResource;
import io.secureworkload.operator.dependent.EgressNetworkPolicyDependentResource;
import io.secureworkload.operator.dependent.IamRoleDependentResource;
import io.secureworkload.operator.dependent.IngressNetworkPolicyDependentResource;
import io.secureworkload.operator.dependent.Requested;
import io.secureworkload.operator.dependent.SecretProviderClassDependentResource;
import io.secureworkload.operator.dependent.SecurityGroupPolicyDependentResource;
import io.secureworkload.operator.dependent.ServiceAccountDependentResource;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.thirdparty.SecretProviderClass;
import io.secureworkload.operator.thirdparty.SecurityGroupPolicy;
import java.util.List;
import java.util.Objects;

/**
 * The map of the operator: every part of a workload's security envelope, what it waits for, and
 * when it exists at all.
 */
@Workflow(
    dependents = {
      @Dependent(name = Part.IAM_ROLE_DEPENDENT, type = IamRoleDependentResource.class),
      @Dependent(
          name = Part.SERVICE_ACCOUNT_DEPENDENT,
          type = ServiceAccountDependentResource.class,
          dependsOn = Part.IAM_ROLE_DEPENDENT),
      @Dependent(
          name = Part.SECRET_PROVIDER_CLASS_DEPENDENT,
          type = SecretProviderClassDependentResource.class,
          activationCondition = CrdInstalled.class,
          reconcilePrecondition = Requested.class),
      @Dependent(
          name = Part.SECURITY_GROUP_POLICY_DEPENDENT,
          type = SecurityGroupPolicyDependentResource.class,
          activationCondition = CrdInstalled.class,
          reconcilePrecondition = Requested.class),
      @Dependent(
          name = Part.DEFAULT_DENY_POLICY_DEPENDENT,
          type = DefaultDenyNetworkPolicyDependentResource.class,
          reconcilePrecondition = Requested.class),
      @Dependent(
          name = Part.INGRESS_POLICY_DEPENDENT,
          type = IngressNetworkPolicyDependentResource.class,
          reconcilePrecondition = Requested.class),
      @Dependent(
          name = Part.EGRESS_POLICY_DEPENDENT,
          type = EgressNetworkPolicyDependentResource.class,
          reconcilePrecondition = Requested.class),
    })
@ControllerConfiguration(name = SecureWorkloadReconciler.NAME)
public class SecureWorkloadReconciler implements Reconciler<SecureWorkload> {

  public static final String NAME = "secureworkload";

  private final WorkloadRole workloadRole;
  private final PartOutcomes partOutcomes;
  private final StatusAggregator statusAggregator;

  public SecureWorkloadReconciler(
      WorkloadRole workloadRole, PartOutcomes partOutcomes, StatusAggregator statusAggregator) {
    this.workloadRole = workloadRole;
    this.partOutcomes = partOutcomes;
    this.statusAggregator = statusAggregator;
  }

  @Override
  public List<EventSource<?, SecureWorkload>> prepareEventSources(
      EventSourceContext<SecureWorkload> context) {
    return List.of(
        CrdWatch.eventSource(SecretProviderClass.CRD_NAME, context),
        CrdWatch.eventSource(SecurityGroupPolicy.CRD_NAME, context));
  }

  @Override
  public UpdateControl<SecureWorkload> reconcile(
      SecureWorkload workload, Context<SecureWorkload> context) {
    var status = status(workload, context, null);
    recordIfReadyChanged(workload, status, context);
    if (Objects.equals(status, workload.getStatus())) {
      return UpdateControl.noUpdate();
    }
    return UpdateControl.patchStatus(withStatus(workload, status));
  }

  @Override
  public ErrorStatusUpdateControl<SecureWorkload> updateErrorStatus(
      SecureWorkload workload, Context<SecureWorkload> context, Exception error) {
    var status = status(workload, context, error);
    recordIfReadyChanged(workload, status, context);
    ErrorStatusUpdateControl<SecureWorkload> control =
        Objects.equals(status, workload.getStatus())
            ? ErrorStatusUpdateControl.noStatusUpdate()
            : ErrorStatusUpdateControl.patchStatus(withStatus(workload, status));
    return partOutcomes.allFailuresTerminal(context, error) ? control.withNoRetry() : control;
  }

  private SecureWorkloadStatus status(
      SecureWorkload workload, Context<SecureWorkload> context, Exception error) {
    var roleArn =
        IamRoleDependentResource.reconciledRole(context).map(ActualRole::arn).orElse(null);
    return statusAggregator.aggregate(
        workload.getStatus(),
        workload.getMetadata().getGeneration(),
        partOutcomes.of(workload, context, error),
        workloadRole.name(workload),
        roleArn,
        WorkloadRole.serviceAccountName(workload));
  }

  /** One Warning event per change of the Ready condition to a failure, not one per retry. */
  private static void recordIfReadyChanged(
      SecureWorkload workload, SecureWorkloadStatus status, Context<SecureWorkload> context) {
    var ready = readyCondition(status);
    if (ready == null || !Condition.FALSE.equals(ready.getStatus())) {
      return;
    }
    if (!Objects.equals(ready, readyCondition(workload.getStatus()))) {
      var reason =
          "CRDNotInstalled".equals(ready.getReason())
              ? EventReason.CRDNotInstalled
              : EventReason.ReconcileFailed;
      EventRecorder.record(context.getClient(), workload, reason, ready.getMessage());
    }
  }

  private static Condition readyCondition(SecureWorkloadStatus status) {
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
        new ObjectMetaBuilder()
            .withName(workload.getMetadata().getName())
            .withNamespace(workload.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }
}
