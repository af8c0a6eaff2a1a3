package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.NetworkPeer;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** One policy's rules for security groups and for the ipBlock peers of network rules. */
final class NetworkRules {

  static final FieldPath NETWORK = FieldPath.of("spec", "network");
  static final FieldPath GROUP_IDS = FieldPath.of("spec", "securityGroups", "groupIds");

  private static final List<CidrBlock> METADATA = parsed(DefaultGuardrails.METADATA_CIDRS);

  private NetworkRules() {}

  static void check(SecureWorkloadSpec spec, PolicyRules policy, Findings findings) {
    checkSecurityGroups(spec, policy, findings);
    var denied = parsed(policy.deniedCidrs());
    var allowed = policy.allowedCidrs() == null ? null : parsed(policy.allowedCidrs());
    forEachParsedBlock(
        spec,
        (field, cidr) -> findings.add(field, cidr, Rule.INVALID_VALUE, "not a CIDR block", policy),
        block -> {
          block
              .firstReached(denied)
              .ifPresent(
                  hit ->
                      findings.add(
                          block.field(),
                          block.cidr(),
                          Rule.CIDR_DENIED,
                          "reaches " + hit + ", which the policy denies",
                          policy));
          if (allowed != null && !block.within(allowed)) {
            findings.add(
                block.field(),
                block.cidr(),
                Rule.CIDR_NOT_ALLOWED,
                "not within the allowed CIDR blocks " + policy.allowedCidrs(),
                policy);
          }
        });
  }

  /** The metadata addresses are refused under every policy, like the escalation floor. */
  static void checkFloor(SecureWorkloadSpec spec, Findings findings) {
    forEachParsedBlock(
        spec,
        (field, cidr) -> {},
        block ->
            block
                .firstReached(METADATA)
                .ifPresent(
                    hit ->
                        findings.addAlwaysEnforced(
                            block.field(),
                            block.cidr(),
                            Rule.CIDR_DENIED,
                            "reaches "
                                + hit
                                + " (instance metadata or the Pod Identity agent), which is never"
                                + " allowed",
                            DefaultGuardrails.DEFAULT_POLICY_NAME)));
  }

  /**
   * An ipBlock peer whose cidr and excepts are all CIDR blocks, at the path of its cidr.
   *
   * @param cidr as written in the spec
   */
  private record ParsedBlock(
      FieldPath field, String cidr, CidrBlock parsed, List<CidrBlock> except) {

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
  }

  /**
   * Calls back with every ipBlock peer parsed, or, for one whose cidr or an except is not a CIDR
   * block (then nothing can be vetted), with its path and cidr as written.
   */
  private static void forEachParsedBlock(
      SecureWorkloadSpec spec, BiConsumer<FieldPath, String> invalid, Consumer<ParsedBlock> valid) {
    forEachIpBlock(
        spec,
        (field, block) -> {
          var cidr = CidrBlock.parse(block.getCidr());
          var except = excepts(block);
          if (cidr.isEmpty() || except == null) {
            invalid.accept(field, block.getCidr());
          } else {
            valid.accept(new ParsedBlock(field, block.getCidr(), cidr.get(), except));
          }
        });
  }

  /** Calls back with every ipBlock peer, ingress and egress, at the path of its cidr. */
  static void forEachIpBlock(
      SecureWorkloadSpec spec, BiConsumer<FieldPath, NetworkPeer.IpBlock> consumer) {
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
      BiConsumer<FieldPath, NetworkPeer.IpBlock> consumer) {
    if (peers == null) {
      return;
    }
    for (int j = 0; j < peers.size(); j++) {
      if (peers.get(j).getIpBlock() != null) {
        consumer.accept(field.index(j).child("ipBlock").child("cidr"), peers.get(j).getIpBlock());
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

  /** The except blocks, or null when one is not a CIDR block (then nothing can be vetted). */
  private static List<CidrBlock> excepts(NetworkPeer.IpBlock block) {
    var parsed =
        Optional.ofNullable(block.getExcept()).orElse(List.of()).stream()
            .map(CidrBlock::parse)
            .toList();
    return parsed.stream().allMatch(Optional::isPresent)
        ? parsed.stream().map(Optional::get).toList()
        : null;
  }

  /**
   * A policy's blocks; the schema admits only CIDR blocks, and one this parser still cannot read is
   * left out, which narrows an allow-list and only spares a deny-list the schema vetted already.
   */
  private static List<CidrBlock> parsed(List<String> cidrs) {
    return cidrs.stream().map(CidrBlock::parse).flatMap(Optional::stream).toList();
  }
}
