package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.NetworkPeer;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One policy's rules for security groups and for the addresses network rules reach: their ipBlock
 * peers, and every address for a rule without peers ({@link EveryAddress}). Blocks are vetted in
 * their canonical form ({@link CidrBlock}).
 */
final class NetworkRules {

  static final FieldPath NETWORK = FieldPath.of("spec", "network");
  static final FieldPath GROUP_IDS = FieldPath.of("spec", "securityGroups", "groupIds");

  /** The value a violation about a rule without peers shows. */
  static final String PEERLESS = "every address (no peers)";

  private static final List<CidrBlock> METADATA = parsed(DefaultGuardrails.METADATA_CIDRS);

  private NetworkRules() {}

  static void check(SecureWorkloadSpec spec, PolicyRules policy, Findings findings) {
    checkSecurityGroups(spec, policy, findings);
    var denied = parsed(policy.deniedCidrs());
    var unreadableDenied = unreadable(policy.deniedCidrs());
    var allowed = policy.allowedCidrs() == null ? null : parsed(policy.allowedCidrs());
    forEachParsedBlock(
        spec,
        // Reported by the floor, in every mode.
        (field, value) -> {},
        block -> {
          if (!unreadableDenied.isEmpty()) {
            findings.add(
                block.field(),
                block.shown(),
                Rule.CIDR_DENIED,
                "the policy denies "
                    + unreadableDenied
                    + ", which is no CIDR block, so no address can be vetted against it",
                policy);
          }
          block
              .firstReached(denied)
              .ifPresent(
                  hit ->
                      findings.add(
                          block.field(),
                          block.shown(),
                          Rule.CIDR_DENIED,
                          block.reaches(hit) + ", which the policy denies",
                          policy));
          if (allowed != null && !block.within(allowed)) {
            findings.add(
                block.field(),
                block.shown(),
                Rule.CIDR_NOT_ALLOWED,
                block.canonically() + "not within the allowed CIDR blocks " + policy.allowedCidrs(),
                policy);
          }
        });
  }

  /**
   * The metadata addresses are refused under every policy, like the escalation floor; so is a block
   * that cannot be read, since nothing about it can be vetted and a CNI might read it as another
   * block.
   */
  static void checkFloor(SecureWorkloadSpec spec, Findings findings) {
    forEachParsedBlock(
        spec,
        (field, value) ->
            findings.addAlwaysEnforced(
                field,
                value,
                Rule.INVALID_VALUE,
                "not a CIDR block in a notation every reader takes for the same addresses (four"
                    + " decimal octets without leading zeros, or IPv6 text without a zone, then a"
                    + " prefix length), so it cannot be vetted",
                DefaultGuardrails.DEFAULT_POLICY_NAME),
        block ->
            block
                .firstReached(METADATA)
                .ifPresent(
                    hit ->
                        findings.addAlwaysEnforced(
                            block.field(),
                            block.shown(),
                            Rule.CIDR_DENIED,
                            block.reaches(hit)
                                + " (instance metadata or the Pod Identity agent), which is never"
                                + " allowed",
                            DefaultGuardrails.DEFAULT_POLICY_NAME)));
  }

  /**
   * A block a rule reaches, minus its excepts, all parsed.
   *
   * @param field where a violation points: the ipBlock's cidr, or the rule's peers when it has none
   * @param shown the value a violation shows: the cidr as written, or {@link #PEERLESS}
   */
  private record ParsedBlock(
      FieldPath field, String shown, CidrBlock parsed, List<CidrBlock> except) {

    /** The first of {@code denied} that some address of the block, minus its excepts, lies in. */
    Optional<CidrBlock> firstReached(List<CidrBlock> denied) {
      return denied.stream()
          .filter(d -> parsed.intersection(d).map(meet -> !meet.coveredBy(except)).orElse(false))
          .findFirst();
    }

    /** Whether the block minus its excepts lies within the allowed blocks. */
    boolean within(List<CidrBlock> allowed) {
      var covering = new ArrayList<>(allowed);
      covering.addAll(except);
      return parsed.coveredBy(covering);
    }

    String reaches(CidrBlock hit) {
      return canonically() + "reaches " + hit;
    }

    /** The canonical block, when the spec spells it otherwise ({@code ::ffff:a9fe:a9fe/128}). */
    String canonically() {
      var canonical = parsed.toString();
      return shown.equals(canonical) || shown.equals(PEERLESS) ? "" : "is " + canonical + ", ";
    }
  }

  /**
   * Calls back with every block a rule reaches, parsed; or, for a cidr or except that is not a CIDR
   * block (then nothing about the peer can be vetted), with its path and value as written.
   */
  private static void forEachParsedBlock(
      SecureWorkloadSpec spec, BiConsumer<FieldPath, String> invalid, Consumer<ParsedBlock> valid) {
    forEachReachedBlock(
        spec,
        (peer, block) -> {
          boolean readable = true;
          var cidr = CidrBlock.parse(block.getCidr());
          if (cidr.isEmpty()) {
            invalid.accept(peer.field(), block.getCidr());
            readable = false;
          }
          var excepts = Optional.ofNullable(block.getExcept()).orElse(List.of());
          var except = new ArrayList<CidrBlock>();
          for (int k = 0; k < excepts.size(); k++) {
            var parsed = CidrBlock.parse(excepts.get(k));
            if (parsed.isPresent()) {
              except.add(parsed.get());
            } else {
              invalid.accept(peer.except(k), excepts.get(k));
              readable = false;
            }
          }
          if (readable) {
            valid.accept(new ParsedBlock(peer.field(), peer.shown(), cidr.get(), except));
          }
        });
  }

  /**
   * Where a block a rule reaches sits in the spec.
   *
   * @param ipBlock the ipBlock peer's path; null for the blocks of a rule without peers
   */
  private record ReachedPeer(FieldPath field, String shown, FieldPath ipBlock) {
    FieldPath except(int k) {
      return ipBlock == null ? field : ipBlock.child("except").index(k);
    }
  }

  /**
   * Calls back with every ipBlock peer, ingress and egress, and with the blocks of {@link
   * EveryAddress} for a rule without peers.
   */
  private static void forEachReachedBlock(
      SecureWorkloadSpec spec, BiConsumer<ReachedPeer, NetworkPeer.IpBlock> consumer) {
    var network = spec.getNetwork();
    if (network == null) {
      return;
    }
    var ingress = Optional.ofNullable(network.getIngress()).orElse(List.of());
    for (int i = 0; i < ingress.size(); i++) {
      forEachPeer(
          NETWORK.child("ingress").index(i).child("from"), ingress.get(i).getFrom(), consumer);
    }
    var egress = Optional.ofNullable(network.getEgress()).orElse(List.of());
    for (int i = 0; i < egress.size(); i++) {
      forEachPeer(NETWORK.child("egress").index(i).child("to"), egress.get(i).getTo(), consumer);
    }
  }

  private static void forEachPeer(
      FieldPath field,
      List<NetworkPeer> peers,
      BiConsumer<ReachedPeer, NetworkPeer.IpBlock> consumer) {
    if (EveryAddress.isPeerless(peers)) {
      for (var block : EveryAddress.ipBlocks()) {
        consumer.accept(new ReachedPeer(field, PEERLESS, null), block);
      }
      return;
    }
    for (int j = 0; j < peers.size(); j++) {
      var block = peers.get(j).getIpBlock();
      if (block != null) {
        var ipBlock = field.index(j).child("ipBlock");
        consumer.accept(new ReachedPeer(ipBlock.child("cidr"), block.getCidr(), ipBlock), block);
      }
    }
  }

  private static void checkSecurityGroups(
      SecureWorkloadSpec spec, PolicyRules policy, Findings findings) {
    if (spec.getSecurityGroups() == null || spec.getSecurityGroups().getGroupIds() == null) {
      return;
    }
    var ids = spec.getSecurityGroups().getGroupIds();
    for (int k = 0; k < ids.size(); k++) {
      var id = ids.get(k);
      if (policy.allowedSecurityGroupIds().stream().noneMatch(p -> new Glob(p).matches(id))) {
        findings.add(
            GROUP_IDS.index(k),
            id,
            Rule.SECURITY_GROUP_NOT_ALLOWED,
            policy.allowedSecurityGroupIds().isEmpty()
                ? "no security group may be attached here"
                : "not among the allowed security groups " + policy.allowedSecurityGroupIds(),
            policy);
      }
    }
  }

  /**
   * A policy's blocks, canonical. The schema admits only CIDR blocks; one this parser still cannot
   * read (a policy stored under an earlier schema) is left out of an allow-list, which narrows it,
   * and makes a deny-list deny everything ({@link #unreadable}).
   */
  private static List<CidrBlock> parsed(List<String> cidrs) {
    return cidrs.stream().map(CidrBlock::parse).flatMap(Optional::stream).toList();
  }

  private static List<String> unreadable(List<String> cidrs) {
    return cidrs.stream().filter(cidr -> CidrBlock.parse(cidr).isEmpty()).toList();
  }
}
