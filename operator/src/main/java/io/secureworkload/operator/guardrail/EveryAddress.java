package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.NetworkPeer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a network rule without peers stands for: every address. Kubernetes reads such a rule as
 * every address, the metadata addresses included, so the guardrails vet it as these blocks and the
 * operator writes it with them spelled out; whatever the guardrails vetted is what is written.
 */
public final class EveryAddress {

  /** Every IPv4 and every IPv6 address; a policy that restricts CIDRs must admit them. */
  public static final List<String> CIDRS = List.of("0.0.0.0/0", "::/0");

  private EveryAddress() {}

  /** Whether a rule has no peers, and so allows every address. An empty list is no list. */
  public static boolean isPeerless(List<NetworkPeer> peers) {
    return peers == null || peers.isEmpty();
  }

  /**
   * The peers a rule without peers is written with: every address of each family minus that
   * family's metadata addresses, and every pod of every namespace (whether ipBlocks match pod
   * addresses depends on the CNI).
   */
  public static List<NetworkPeer> peers() {
    var peers = new ArrayList<NetworkPeer>();
    for (var block : ipBlocks()) {
      var peer = new NetworkPeer();
      peer.setIpBlock(block);
      peers.add(peer);
    }
    var everyNamespace = new NetworkPeer();
    everyNamespace.setNamespaceSelector(new NetworkPeer.PeerSelector());
    peers.add(everyNamespace);
    return peers;
  }

  /** Every address of each family, minus that family's metadata addresses. */
  static List<NetworkPeer.IpBlock> ipBlocks() {
    var blocks = new ArrayList<NetworkPeer.IpBlock>();
    for (var cidr : CIDRS) {
      boolean ipv6 = CidrBlock.parse(cidr).orElseThrow().isIpv6();
      var block = new NetworkPeer.IpBlock();
      block.setCidr(cidr);
      block.setExcept(
          DefaultGuardrails.METADATA_CIDRS.stream()
              .filter(m -> CidrBlock.parse(m).orElseThrow().isIpv6() == ipv6)
              .toList());
      blocks.add(block);
    }
    return blocks;
  }
}
