package io.secureworkload.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.IPBlockBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Allows the outgoing traffic the workload declares, plus DNS to the cluster DNS pods and HTTPS to
 * the AWS API endpoints the platform configured, unless the spec switches those off.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ManagedLabels.SELECTOR))
public class EgressNetworkPolicyDependentResource extends WorkloadChildDependent<NetworkPolicy> {

  /** Label every namespace carries (since Kubernetes 1.22): selects the DNS namespace by name. */
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  public static final String NAME = "egress-network-policy";

  private final OperatorSettings settings;

  public EgressNetworkPolicyDependentResource(DependentServices services) {
    super(NetworkPolicy.class, NetworkPolicies.PART, services);
    this.settings = services.settings();
  }

  @Override
  public boolean isRequested(SecureWorkload workload) {
    return NetworkIntent.of(workload)
        .map(intent -> intent.needsEgressPolicy(settings.awsApiCidrs()))
        .orElse(false);
  }

  @Override
  protected String childName(SecureWorkload workload) {
    return workload.getMetadata().getName() + "-egress";
  }

  @Override
  protected NetworkPolicy desired(SecureWorkload workload, Context<SecureWorkload> context) {
    var intent = NetworkIntent.of(workload).orElseThrow();
    var rules = new ArrayList<NetworkPolicyEgressRule>();
    for (var rule : intent.egress()) {
      rules.add(
          new NetworkPolicyEgressRuleBuilder()
              .withTo(NetworkPolicies.peers(rule.getTo()))
              .withPorts(NetworkPolicies.ports(rule.getPorts()))
              .build());
    }
    if (intent.allowDns()) {
      rules.add(dnsRule());
    }
    if (intent.reachesAws(settings.awsApiCidrs())) {
      rules.add(awsApiRule());
    }
    return new NetworkPolicyBuilder()
        .withMetadata(metadata(workload))
        .withNewSpec()
        .withPodSelector(NetworkPolicies.workloadPods(workload))
        .withPolicyTypes(List.of(NetworkPolicies.EGRESS))
        .withEgress(rules)
        .endSpec()
        .build();
  }

  private NetworkPolicyEgressRule dnsRule() {
    return new NetworkPolicyEgressRuleBuilder()
        .withTo(
            new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(
                    NetworkPolicies.selector(Map.of(NAMESPACE_NAME_LABEL, settings.dnsNamespace())))
                .withPodSelector(NetworkPolicies.selector(settings.dnsPodLabels()))
                .build())
        .withPorts(NetworkPolicies.port("UDP", 53, null), NetworkPolicies.port("TCP", 53, null))
        .build();
  }

  private NetworkPolicyEgressRule awsApiRule() {
    return new NetworkPolicyEgressRuleBuilder()
        .withTo(
            settings.awsApiCidrs().stream()
                .map(
                    cidr ->
                        new NetworkPolicyPeerBuilder()
                            .withIpBlock(new IPBlockBuilder().withCidr(cidr).build())
                            .build())
                .toList())
        .withPorts(NetworkPolicies.port("TCP", 443, null))
        .build();
  }
}
