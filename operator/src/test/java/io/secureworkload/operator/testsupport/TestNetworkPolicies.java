package io.secureworkload.operator.testsupport;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlockBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.List;
import java.util.Map;

/** The pieces of an expected NetworkPolicy, built in one line each. */
public final class TestNetworkPolicies {

  /**
   * What a rule without peers is written as: every address of each family minus its metadata
   * addresses, and every pod of every namespace.
   */
  public static final List<NetworkPolicyPeer> EVERY_ADDRESS_AND_POD =
      List.of(
          ipBlock("0.0.0.0/0", "169.254.169.254/32", "169.254.170.23/32"),
          ipBlock("::/0", "fd00:ec2::254/128", "fd00:ec2::23/128"),
          new NetworkPolicyPeerBuilder()
              .withNamespaceSelector(new LabelSelectorBuilder().build())
              .build());

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

  public static NetworkPolicyPeer ipBlock(String cidr, String... except) {
    return new NetworkPolicyPeerBuilder()
        .withIpBlock(new IPBlockBuilder().withCidr(cidr).withExcept(except).build())
        .build();
  }
}
