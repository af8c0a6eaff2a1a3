package io.secureworkload.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.secureworkload.operator.api.SecureWorkload;
import java.util.List;

/** Allows the incoming traffic the workload declares. */
@KubernetesDependent(informer = @Informer(labelSelector = ManagedLabels.SELECTOR))
public class IngressNetworkPolicyDependentResource extends WorkloadChildDependent<NetworkPolicy> {

  public static final String NAME = "ingress-network-policy";

  public IngressNetworkPolicyDependentResource(DependentServices services) {
    super(NetworkPolicy.class, NetworkPolicies.PART, services);
  }

  @Override
  public boolean isRequested(SecureWorkload workload) {
    return NetworkIntent.of(workload).map(NetworkIntent::needsIngressPolicy).orElse(false);
  }

  @Override
  protected String childName(SecureWorkload workload) {
    return workload.getMetadata().getName() + "-ingress";
  }

  @Override
  protected NetworkPolicy desired(SecureWorkload workload, Context<SecureWorkload> context) {
    var rules =
        NetworkIntent.of(workload).orElseThrow().ingress().stream()
            .map(
                rule ->
                    new NetworkPolicyIngressRuleBuilder()
                        .withFrom(NetworkPolicies.peers(rule.getFrom()))
                        .withPorts(NetworkPolicies.ports(rule.getPorts()))
                        .build())
            .toList();
    return new NetworkPolicyBuilder()
        .withMetadata(metadata(workload))
        .withNewSpec()
        .withPodSelector(NetworkPolicies.workloadPods(workload))
        .withPolicyTypes(List.of(NetworkPolicies.INGRESS))
        .withIngress(rules)
        .endSpec()
        .build();
  }
}
