package io.secureworkload.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.outcome.PartOutcome;
import java.util.ArrayList;
import java.util.Optional;

/** Denies all traffic of the workload's pods in the directions the spec denies by default. */
@KubernetesDependent(informer = @Informer(labelSelector = ManagedLabels.SELECTOR))
public class DefaultDenyNetworkPolicyDependentResource
    extends WorkloadChildDependent<NetworkPolicy> {

  public static final String NAME = "default-deny-network-policy";

  private final OperatorSettings settings;

  public DefaultDenyNetworkPolicyDependentResource(DependentServices services) {
    super(NetworkPolicy.class, NetworkPolicies.PART, services);
    this.settings = services.settings();
  }

  /** It only isolates: it keeps the pods isolated when a tightening removes an allow policy. */
  @Override
  protected boolean createdWhileBlocked() {
    return true;
  }

  @Override
  public boolean isRequested(SecureWorkload workload) {
    return NetworkIntent.of(workload).map(NetworkIntent::needsDefaultDeny).orElse(false);
  }

  /**
   * In sync, but say so when the pods hold AWS permissions that denied egress keeps them from
   * using: the most common surprise of default-deny egress with IRSA.
   */
  @Override
  public Optional<PartOutcome> inSyncCaveat(SecureWorkload workload) {
    var intent = NetworkIntent.of(workload).orElse(null);
    if (intent == null
        || !intent.egressRestricted()
        || !hasAwsPermissions(workload)
        || intent.reachesAws(settings.awsApiCidrs())) {
      return Optional.empty();
    }
    var why =
        intent.allowAwsApis()
            ? "the platform has configured no AWS API endpoint CIDRs (operator setting SW_AWS_API_CIDRS)"
            : "spec.network.allowAwsApis is false";
    return Optional.of(
        PartOutcome.ready(
            ConditionReason.InSyncWithoutAwsEgress,
            "NetworkPolicies match the spec, but the workload has IAM permissions while its egress"
                + " is denied and "
                + why
                + ": its pods cannot reach STS or Secrets Manager unless an egress rule allows"
                + " them."));
  }

  /**
   * Secrets do not count: the CSI driver's provider pod fetches them, not the workload's pods, so
   * they need no egress of the workload's own.
   */
  private static boolean hasAwsPermissions(SecureWorkload workload) {
    var iam = workload.getSpec().getIam();
    return iam != null
        && (iam.getStatements() != null && !iam.getStatements().isEmpty()
            || iam.getManagedPolicyArns() != null && !iam.getManagedPolicyArns().isEmpty());
  }

  @Override
  protected String childName(SecureWorkload workload) {
    return workload.getMetadata().getName() + "-default-deny";
  }

  @Override
  protected NetworkPolicy desired(SecureWorkload workload, Context<SecureWorkload> context) {
    var intent = NetworkIntent.of(workload).orElseThrow();
    var policyTypes = new ArrayList<String>();
    if (intent.denyIngress()) {
      policyTypes.add(NetworkPolicies.INGRESS);
    }
    if (intent.denyEgress()) {
      policyTypes.add(NetworkPolicies.EGRESS);
    }
    return new NetworkPolicyBuilder()
        .withMetadata(metadata(workload))
        .withNewSpec()
        .withPodSelector(NetworkPolicies.workloadPods(workload))
        .withPolicyTypes(policyTypes)
        .endSpec()
        .build();
  }
}
