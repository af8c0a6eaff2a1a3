package io.secureworkload.operator.dependent;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.outcome.ConditionReason;
import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * The ServiceAccount the workload's pods run as, annotated with the IAM role while IRSA is held. An
 * existing ServiceAccount the operator did not create is never taken over: that would hand the role
 * to every pod already using it.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ManagedLabels.SELECTOR))
public class ServiceAccountDependentResource extends WorkloadChildDependent<ServiceAccount> {

  public static final String ROLE_ARN = "eks.amazonaws.com/role-arn";
  public static final String STS_REGIONAL_ENDPOINTS = "eks.amazonaws.com/sts-regional-endpoints";
  public static final String TOKEN_EXPIRATION = "eks.amazonaws.com/token-expiration";

  public static final String NAME = "service-account";

  static final Part PART =
      new Part(
          "ServiceAccountReady", "ServiceAccount", null, ConditionReason.ServiceAccountNotOwned);

  private final Admission admission;
  private final IdentitySwitch identitySwitch;

  public ServiceAccountDependentResource(DependentServices services) {
    super(ServiceAccount.class, PART, services);
    this.admission = services.admission();
    this.identitySwitch = services.identitySwitch();
  }

  @Override
  protected String childName(SecureWorkload workload) {
    return WorkloadRole.serviceAccountName(workload);
  }

  @Override
  protected ServiceAccount desired(SecureWorkload workload, Context<SecureWorkload> context) {
    var annotations = new LinkedHashMap<String, String>();
    // Only while IRSA is held: with Pod Identity, the association binds the ServiceAccount.
    if (identitySwitch.plan(workload, context).annotate()) {
      // The ARN is known before the role exists: the ServiceAccount is settled first, and only
      // then is a role made that trusts it.
      annotations.put(ROLE_ARN, roleArnInUse(workload, admission.of(workload, context)));
      var spec = workload.getSpec().getServiceAccount();
      if (spec != null && spec.getStsRegionalEndpoints() != null) {
        annotations.put(STS_REGIONAL_ENDPOINTS, spec.getStsRegionalEndpoints().toString());
      }
      if (spec != null && spec.getTokenExpirationSeconds() != null) {
        annotations.put(TOKEN_EXPIRATION, spec.getTokenExpirationSeconds().toString());
      }
    }
    var metadata = metadata(workload);
    metadata.setAnnotations(annotations);
    return new ServiceAccountBuilder().withMetadata(metadata).build();
  }

  /**
   * The role the pods get. When the workload's role moves to another account, the ServiceAccount
   * keeps the old one until the new one exists (the status names it once made): no pod is ever
   * pointed at a role that is not there yet.
   */
  static String roleArnInUse(SecureWorkload workload, Admission.Decision decision) {
    var known = workload.getStatus() == null ? null : workload.getStatus().getRoleArn();
    if (known != null
        && !Objects.equals(Admission.currentAccountId(workload), decision.account().id())) {
      return known;
    }
    return decision.roleArn();
  }

  @Override
  public ReconcileResult<ServiceAccount> reconcile(
      SecureWorkload workload, Context<SecureWorkload> context) {
    var result = super.reconcile(workload, context);
    // The admitted name: while the spec is blocked, a rename waits and the old one stays.
    deleteRenamedServiceAccounts(admitted(workload, context), context);
    return result;
  }

  @Override
  protected ConditionReason conflictReason() {
    return ConditionReason.ServiceAccountConflict;
  }

  @Override
  protected String howToResolveConflict() {
    return "Choose another spec.serviceAccount.name.";
  }

  /** A ServiceAccount left behind when spec.serviceAccount.name changed. */
  private void deleteRenamedServiceAccounts(
      SecureWorkload workload, Context<SecureWorkload> context) {
    var current = childName(workload);
    var renamed =
        context.getSecondaryResources(ServiceAccount.class).stream()
            .filter(sa -> !sa.getMetadata().getName().equals(current))
            .filter(sa -> isOwnedBy(sa, workload))
            .toList();
    for (var old : renamed) {
      // The cache may still hold one deleted moments ago: only a deletion that found it is news.
      if (!context.getClient().resource(old).delete().isEmpty()) {
        WorkloadChanges.in(context)
            .add(
                WorkloadChanges.Kind.DELETED,
                name(),
                displayName() + " " + old.getMetadata().getName(),
                "renamed to " + current);
      }
    }
  }
}
