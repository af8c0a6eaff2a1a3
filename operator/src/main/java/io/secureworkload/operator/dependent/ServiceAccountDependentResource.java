package io.secureworkload.operator.dependent;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.reconciler.EventReason;
import io.secureworkload.operator.reconciler.EventRecorder;
import io.secureworkload.operator.reconciler.TerminalException;
import java.util.LinkedHashMap;

/**
 * The ServiceAccount the workload's pods run as, annotated with the IAM role for IRSA. An existing
 * ServiceAccount the operator did not create is never taken over: that would hand the role to every
 * pod already using it.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ManagedLabels.SELECTOR))
public class ServiceAccountDependentResource
    extends CRUDKubernetesDependentResource<ServiceAccount, SecureWorkload> {

  public static final String ROLE_ARN = "eks.amazonaws.com/role-arn";
  public static final String STS_REGIONAL_ENDPOINTS = "eks.amazonaws.com/sts-regional-endpoints";
  public static final String TOKEN_EXPIRATION = "eks.amazonaws.com/token-expiration";

  private final WorkloadRole workloadRole;

  public ServiceAccountDependentResource(WorkloadRole workloadRole) {
    super(ServiceAccount.class);
    this.workloadRole = workloadRole;
  }

  @Override
  protected ServiceAccount desired(SecureWorkload workload, Context<SecureWorkload> context) {
    var annotations = new LinkedHashMap<String, String>();
    annotations.put(ROLE_ARN, roleArn(workload, context));
    var spec = workload.getSpec().getServiceAccount();
    if (spec != null && spec.getStsRegionalEndpoints() != null) {
      annotations.put(STS_REGIONAL_ENDPOINTS, spec.getStsRegionalEndpoints().toString());
    }
    if (spec != null && spec.getTokenExpirationSeconds() != null) {
      annotations.put(TOKEN_EXPIRATION, spec.getTokenExpirationSeconds().toString());
    }
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(WorkloadRole.serviceAccountName(workload))
        .withNamespace(workload.getMetadata().getNamespace())
        .withLabels(ManagedLabels.of(workload))
        .withAnnotations(annotations)
        .endMetadata()
        .build();
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      SecureWorkload workload, Context<SecureWorkload> context) {
    return new ResourceID(
        WorkloadRole.serviceAccountName(workload), workload.getMetadata().getNamespace());
  }

  @Override
  public ReconcileResult<ServiceAccount> reconcile(
      SecureWorkload workload, Context<SecureWorkload> context) {
    var result = super.reconcile(workload, context);
    deleteRenamedServiceAccounts(workload, context);
    return result;
  }

  @Override
  protected ServiceAccount handleCreate(
      ServiceAccount desired, SecureWorkload workload, Context<SecureWorkload> context) {
    var existing =
        context
            .getClient()
            .serviceAccounts()
            .inNamespace(desired.getMetadata().getNamespace())
            .withName(desired.getMetadata().getName())
            .get();
    if (existing != null && !isOwnedBy(existing, workload)) {
      var message =
          "ServiceAccount "
              + desired.getMetadata().getName()
              + " already exists and was not created for this SecureWorkload; the operator does not"
              + " take it over. Choose another spec.serviceAccount.name.";
      EventRecorder.record(
          context.getClient(), workload, EventReason.ServiceAccountNotOwned, message);
      throw new TerminalException("ServiceAccountNotOwned", message);
    }
    var created = super.handleCreate(desired, workload, context);
    EventRecorder.record(
        context.getClient(),
        workload,
        EventReason.ServiceAccountCreated,
        "Created ServiceAccount " + desired.getMetadata().getName());
    return created;
  }

  @Override
  protected ServiceAccount handleUpdate(
      ServiceAccount actual,
      ServiceAccount desired,
      SecureWorkload workload,
      Context<SecureWorkload> context) {
    var updated = super.handleUpdate(actual, desired, workload, context);
    EventRecorder.record(
        context.getClient(),
        workload,
        EventReason.ServiceAccountUpdated,
        "Brought ServiceAccount " + desired.getMetadata().getName() + " back to its desired state");
    return updated;
  }

  private String roleArn(SecureWorkload workload, Context<SecureWorkload> context) {
    return IamRoleDependentResource.reconciledRole(context)
        .map(role -> role.arn())
        .orElseGet(() -> workloadRole.arn(workload));
  }

  /** A ServiceAccount left behind when spec.serviceAccount.name changed. */
  private void deleteRenamedServiceAccounts(
      SecureWorkload workload, Context<SecureWorkload> context) {
    var current = WorkloadRole.serviceAccountName(workload);
    context.getSecondaryResources(ServiceAccount.class).stream()
        .filter(sa -> !sa.getMetadata().getName().equals(current))
        .filter(sa -> isOwnedBy(sa, workload))
        .forEach(sa -> context.getClient().resource(sa).delete());
  }

  private static boolean isOwnedBy(ServiceAccount serviceAccount, SecureWorkload workload) {
    return serviceAccount.getMetadata().getOwnerReferences().stream()
        .anyMatch(owner -> owner.getUid().equals(workload.getMetadata().getUid()));
  }
}
