package io.secureworkload.operator.testsupport;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlockBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.Map;

/** The pieces of an expected NetworkPolicy, built in one line each. */
public final class TestNetworkPolicies {

  private TestNetworkPolicies() {}

  /** A port; {@code endPort} null for a single port. */
  public static NetworkPolicyPort port(String protocol, int port, Integer endPort) {
    return new NetworkPolicyPortBuilder()
        .withProtocol(protocol)
        .withPort(new IntOrString(port))
        .withEndPort(endPort)
        .build();
  }

  public static LabelSelector labels(String key, String value) {
    return new LabelSelectorBuilder().withMatchLabels(Map.of(key, value)).build();
  }

  public static NetworkPolicyPeer ipBlock(String cidr) {
    return new NetworkPolicyPeerBuilder()
        .withIpBlock(new IPBlockBuilder().withCidr(cidr).build())
        .build();
  }
}
