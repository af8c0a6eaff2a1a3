package io.secureworkload.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlockBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.secureworkload.operator.api.NetworkPeer;
import io.secureworkload.operator.api.NetworkPort;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.guardrail.CidrBlock;
import io.secureworkload.operator.guardrail.EveryAddress;
import io.secureworkload.operator.outcome.ConditionReason;
import java.util.List;
import java.util.Map;

/**
 * Pieces of NetworkPolicies, spelled out the way the API server stores them (protocol TCP, no empty
 * maps) so that server-side apply settles and the operator writes nothing in a steady state.
 */
final class NetworkPolicies {

  /** The one part every NetworkPolicy of a workload reports on. */
  static final Part PART =
      new Part(
          "NetworkPoliciesReady",
          "NetworkPolicies",
          "spec.network",
          ConditionReason.NetworkPolicyNotOwned);

  static final String INGRESS = "Ingress";
  static final String EGRESS = "Egress";

  private NetworkPolicies() {}

  /** The workload's pods, never the whole namespace. */
  static LabelSelector workloadPods(SecureWorkload workload) {
    return selector(workload.getSpec().getSelector().getMatchLabels());
  }

  static LabelSelector selector(Map<String, String> labels) {
    var builder = new LabelSelectorBuilder();
    if (labels != null && !labels.isEmpty()) {
      builder.withMatchLabels(labels);
    }
    return builder.build();
  }

  /**
   * A rule's peers; a rule without peers is written as every address minus the metadata addresses
   * ({@link EveryAddress}), never as Kubernetes' peerless rule, which reaches metadata too.
   */
  static List<NetworkPolicyPeer> peers(List<NetworkPeer> peers) {
    var written = EveryAddress.isPeerless(peers) ? EveryAddress.peers() : peers;
    return written.stream().map(NetworkPolicies::peer).toList();
  }

  /** CIDR blocks are written in the canonical form the guardrails vetted. */
  static NetworkPolicyPeer peer(NetworkPeer peer) {
    var builder = new NetworkPolicyPeerBuilder();
    if (peer.getIpBlock() != null) {
      var ipBlock = new IPBlockBuilder().withCidr(canonical(peer.getIpBlock().getCidr()));
      if (peer.getIpBlock().getExcept() != null && !peer.getIpBlock().getExcept().isEmpty()) {
        ipBlock.withExcept(
            peer.getIpBlock().getExcept().stream().map(NetworkPolicies::canonical).toList());
      }
      return builder.withIpBlock(ipBlock.build()).build();
    }
    if (peer.getPodSelector() != null) {
      builder.withPodSelector(selector(peer.getPodSelector().getMatchLabels()));
    }
    if (peer.getNamespaceSelector() != null) {
      builder.withNamespaceSelector(selector(peer.getNamespaceSelector().getMatchLabels()));
    }
    return builder.build();
  }

  /** The guardrails refuse, in every mode, a block that cannot be read: none reaches here. */
  private static String canonical(String cidr) {
    return CidrBlock.parse(cidr)
        .map(CidrBlock::toString)
        .orElseThrow(() -> new IllegalStateException("not a CIDR block: " + cidr));
  }

  static List<NetworkPolicyPort> ports(List<NetworkPort> ports) {
    return ports == null ? null : ports.stream().map(NetworkPolicies::port).toList();
  }

  static NetworkPolicyPort port(NetworkPort port) {
    var protocol = port.getProtocol() == null ? NetworkPort.Protocol.TCP : port.getProtocol();
    return port(protocol.name(), port.getPort(), port.getEndPort());
  }

  static NetworkPolicyPort port(String protocol, int port, Integer endPort) {
    return new NetworkPolicyPortBuilder()
        .withProtocol(protocol)
        .withPort(new IntOrString(port))
        .withEndPort(endPort)
        .build();
  }
}
