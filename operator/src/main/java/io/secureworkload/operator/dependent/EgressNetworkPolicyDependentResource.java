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
 * Allows the outgoing traffic the workload declares, plus DNS to the cluster DNS pods, HTTPS to the
 * AWS API endpoints the platform configured and, in Pod Identity mode, the node's Pod Identity
 * agent, unless the spec switches those off.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ManagedLabels.SELECTOR))
public class EgressNetworkPolicyDependentResource extends WorkloadChildDependent<NetworkPolicy> {

  /** Label every namespace carries (since Kubernetes 1.22): selects the DNS namespace by name. */
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  public static final String NAME = "egress-network-policy";

  /**
   * The EKS Pod Identity agent on every node, IPv4 and IPv6, port 80: where pods in Pod Identity
   * mode fetch their credentials. Tenants can never name these addresses; the operator opens them
   * for exactly the pods that hold an association.
   */
  public static final List<String> POD_IDENTITY_AGENT_CIDRS =
      List.of("169.254.170.23/32", "fd00:ec2::23/128");

  static final int POD_IDENTITY_AGENT_PORT = 80;

  private final OperatorSettings settings;
  private final IdentitySwitch identitySwitch;

  public EgressNetworkPolicyDependentResource(DependentServices services) {
    super(NetworkPolicy.class, NetworkPolicies.PART, services);
    this.settings = services.settings();
    this.identitySwitch = services.identitySwitch();
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
    // Credentials are AWS access too: spec.network.allowAwsApis: false closes the agent as well.
    if (intent.allowAwsApis() && identitySwitch.plan(workload, context).associate()) {
      rules.add(podIdentityAgentRule());
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

  private static NetworkPolicyEgressRule podIdentityAgentRule() {
    return tcpTo(POD_IDENTITY_AGENT_CIDRS, POD_IDENTITY_AGENT_PORT);
  }

  private NetworkPolicyEgressRule awsApiRule() {
    return tcpTo(settings.awsApiCidrs(), 443);
  }

  private static NetworkPolicyEgressRule tcpTo(List<String> cidrs, int port) {
    return new NetworkPolicyEgressRuleBuilder()
        .withTo(
            cidrs.stream()
                .map(
                    cidr ->
                        new NetworkPolicyPeerBuilder()
                            .withIpBlock(new IPBlockBuilder().withCidr(cidr).build())
                            .build())
                .toList())
        .withPorts(NetworkPolicies.port("TCP", port, null))
        .build();
  }
}
