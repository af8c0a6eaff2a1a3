package io.secureworkload.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.secureworkload.operator.api.SecureWorkload;
import java.util.ArrayList;

/** Denies all traffic of the workload's pods in the directions the spec denies by default. */
@KubernetesDependent(informer = @Informer(labelSelector = ManagedLabels.SELECTOR))
public class DefaultDenyNetworkPolicyDependentResource
    extends WorkloadChildDependent<NetworkPolicy> {

  public DefaultDenyNetworkPolicyDependentResource() {
    super(NetworkPolicy.class);
  }

  @Override
  public boolean isRequested(SecureWorkload workload) {
    return NetworkIntent.of(workload).map(NetworkIntent::needsDefaultDeny).orElse(false);
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
