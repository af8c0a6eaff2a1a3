package io.secureworkload.operator.guardrail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.secureworkload.operator.api.IamSpec;
import io.secureworkload.operator.api.NetworkPeer;
import io.secureworkload.operator.api.NetworkSpec;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import io.secureworkload.operator.api.SyncedSecret;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Takes out of a spec what violations refuse, for a workload that exists already when a stricter
 * policy arrives: whole statements, single managed policies, secrets, KMS keys, synced Secrets,
 * security groups, single ipBlock peers, rules without peers (every address). It fails closed: a
 * network rule whose last peer goes is dropped whole, since a rule without peers would admit
 * everyone, a direction whose last rule goes stays denied, and the last security groups stay (see
 * {@link #everyGroupRefused}).
 */
public final class SpecNarrowing {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String[] GROUP_IDS = {"spec", "securityGroups", "groupIds"};

  /** In place of a peer's index: the rule goes whole. */
  private static final int WHOLE_RULE = -1;

  /**
   * @param removed the violations the narrowed spec no longer has
   * @param unresolved the violations narrowing cannot mend (a boundary conflict, a quota, the last
   *     security groups): the reconciler should change nothing while any remain
   */
  public record Narrowed(
      SecureWorkloadSpec spec, List<Violation> removed, List<Violation> unresolved) {}

  private SpecNarrowing() {}

  public static Narrowed narrow(SecureWorkloadSpec original, List<Violation> violations) {
    var spec = MAPPER.convertValue(original, SecureWorkloadSpec.class);
    var removed = new ArrayList<Violation>();
    var unresolved = new ArrayList<Violation>();
    var statements = new TreeSet<Integer>();
    var managed = new TreeSet<Integer>();
    var objects = new TreeSet<Integer>();
    var kmsKeys = new TreeSet<Integer>();
    var synced = new TreeSet<Integer>();
    var groups = new TreeSet<Integer>();
    var ingressPeers = new HashSet<List<Integer>>();
    var egressPeers = new HashSet<List<Integer>>();
    var keepGroups = everyGroupRefused(spec, violations);
    for (var violation : violations) {
      var field = violation.field();
      boolean mended =
          collect(field.indexAfter("spec", "iam", "statements"), statements)
              || collect(field.indexAfter("spec", "iam", "managedPolicyArns"), managed)
              || collect(field.indexAfter("spec", "secrets", "objects"), objects)
              || collect(field.indexAfter("spec", "secrets", "kmsKeyArns"), kmsKeys)
              || collect(field.indexAfter("spec", "secrets", "syncToSecrets"), synced)
              || (!keepGroups && collect(field.indexAfter(GROUP_IDS), groups))
              || collectPeer(field, "ingress", "from", ingressPeers)
              || collectPeer(field, "egress", "to", egressPeers)
              || narrowScalar(spec, violation.rule());
      (mended ? removed : unresolved).add(violation);
    }
    var iam = spec.getIam();
    if (iam != null) {
      iam.setStatements(without(iam.getStatements(), statements));
      iam.setManagedPolicyArns(without(iam.getManagedPolicyArns(), managed));
    }
    narrowSecrets(spec, objects, kmsKeys, synced);
    if (spec.getSecurityGroups() != null) {
      var groupIds = spec.getSecurityGroups();
      groupIds.setGroupIds(without(groupIds.getGroupIds(), groups));
    }
    if (spec.getNetwork() != null) {
      var network = spec.getNetwork();
      boolean hadIngress = hasRules(network.getIngress());
      boolean hadEgress = hasRules(network.getEgress());
      network.setIngress(
          withoutPeers(
              network.getIngress(), ingressPeers, r -> r.getFrom(), (r, p) -> r.setFrom(p)));
      network.setEgress(
          withoutPeers(network.getEgress(), egressPeers, r -> r.getTo(), (r, p) -> r.setTo(p)));
      keepIsolated(
          network,
          hadIngress && !hasRules(network.getIngress()),
          hadEgress && !hasRules(network.getEgress()));
    }
    return new Narrowed(spec, removed, unresolved);
  }

  /** Rules about one value are mended by the value IAM and the policy both accept. */
  private static boolean narrowScalar(SecureWorkloadSpec spec, Rule rule) {
    switch (rule) {
      case SESSION_DURATION_NOT_ALLOWED -> spec.getIam().setMaxSessionDurationSeconds(null);
      case RETAIN_NOT_ALLOWED -> spec.getIam().setDeletionPolicy(IamSpec.DeletionPolicy.Delete);
      case SYNC_TO_SECRETS_NOT_ALLOWED -> spec.getSecrets().setSyncToSecrets(null);
      case IDENTITY_MODE_NOT_ALLOWED, IDENTITY_MODE_NOT_AVAILABLE ->
          spec.getIdentity().setMode(null);
      default -> {
        return false;
      }
    }
    return true;
  }

  /**
   * Removes objects, keys and synced Secrets; a synced Secret fed by a removed object loses that
   * key.
   */
  private static void narrowSecrets(
      SecureWorkloadSpec spec,
      Set<Integer> objects,
      Set<Integer> kmsKeys,
      Set<Integer> syncedSecrets) {
    var secrets = spec.getSecrets();
    if (secrets == null) {
      return;
    }
    var gone = new HashSet<String>();
    for (int i : objects) {
      var object = secrets.getObjects().get(i);
      gone.add(object.fileName());
      Optional.ofNullable(object.getJmesPath())
          .orElse(List.of())
          .forEach(j -> gone.add(j.getAlias()));
    }
    secrets.setObjects(without(secrets.getObjects(), objects));
    secrets.setKmsKeyArns(without(secrets.getKmsKeyArns(), kmsKeys));
    secrets.setSyncToSecrets(without(secrets.getSyncToSecrets(), syncedSecrets));
    if (secrets.getSyncToSecrets() != null) {
      var kept = new ArrayList<SyncedSecret>();
      for (var synced : secrets.getSyncToSecrets()) {
        synced.setData(
            synced.getData().stream().filter(d -> !gone.contains(d.getObjectAlias())).toList());
        if (!synced.getData().isEmpty()) {
          kept.add(synced);
        }
      }
      secrets.setSyncToSecrets(kept.isEmpty() ? null : kept);
    }
    if (secrets.getObjects() == null || secrets.getObjects().isEmpty()) {
      spec.setSecrets(null);
    }
  }

  private static boolean hasRules(List<?> rules) {
    return rules != null && !rules.isEmpty();
  }

  /**
   * A direction that lost its last rule keeps being denied: with default deny switched off and no
   * rule left, no NetworkPolicy would isolate it, and it would admit everyone.
   */
  private static void keepIsolated(
      NetworkSpec network, boolean noIngressLeft, boolean noEgressLeft) {
    if (!noIngressLeft && !noEgressLeft) {
      return;
    }
    var defaultDeny =
        Optional.ofNullable(network.getDefaultDeny()).orElseGet(NetworkSpec.DefaultDeny::new);
    if (noIngressLeft) {
      defaultDeny.setIngress(true);
    }
    if (noEgressLeft) {
      defaultDeny.setEgress(true);
    }
    network.setDefaultDeny(defaultDeny);
  }

  private interface PeerSetter<R> {
    void set(R rule, List<NetworkPeer> peers);
  }

  private static <R> List<R> withoutPeers(
      List<R> rules,
      Set<List<Integer>> removed,
      Function<R, List<NetworkPeer>> peers,
      PeerSetter<R> setPeers) {
    if (rules == null || removed.isEmpty()) {
      return rules;
    }
    var kept = new ArrayList<R>();
    for (int i = 0; i < rules.size(); i++) {
      if (removed.contains(List.of(i, WHOLE_RULE))) {
        continue;
      }
      var rule = rules.get(i);
      var left = new ArrayList<NetworkPeer>();
      var all = Optional.ofNullable(peers.apply(rule)).orElse(List.of());
      for (int j = 0; j < all.size(); j++) {
        if (!removed.contains(List.of(i, j))) {
          left.add(all.get(j));
        }
      }
      if (left.size() == all.size()) {
        kept.add(rule);
      } else if (!left.isEmpty()) {
        setPeers.set(rule, left);
        kept.add(rule);
      }
    }
    return kept;
  }

  /**
   * Pods that lose every security group fall back to the node's, which may open more: so the last
   * groups are never taken away, and their violations stay unresolved.
   */
  private static boolean everyGroupRefused(SecureWorkloadSpec spec, List<Violation> violations) {
    if (spec.getSecurityGroups() == null || spec.getSecurityGroups().getGroupIds() == null) {
      return false;
    }
    var refused =
        violations.stream()
            .map(v -> v.field().indexAfter(GROUP_IDS))
            .flatMap(Optional::stream)
            .distinct()
            .count();
    return refused >= spec.getSecurityGroups().getGroupIds().size();
  }

  private static boolean collect(Optional<Integer> index, Set<Integer> into) {
    index.ifPresent(into::add);
    return index.isPresent();
  }

  /**
   * {@code spec.network.<direction>[i].<peers>[j]...}: remembers (i, j); {@code
   * spec.network.<direction>[i].<peers>}, a rule without peers, which is every address: (i, {@link
   * #WHOLE_RULE}).
   */
  private static boolean collectPeer(
      FieldPath field, String direction, String peers, Set<List<Integer>> into) {
    var rule = field.indexAfter("spec", "network", direction);
    if (rule.isEmpty() || !peers.equals(field.segment(4))) {
      return false;
    }
    var peer = field.segment(5);
    if (peer == null) {
      into.add(List.of(rule.get(), WHOLE_RULE));
      return true;
    }
    if (!(peer instanceof Integer index)) {
      return false;
    }
    into.add(List.of(rule.get(), index));
    return true;
  }

  private static <T> List<T> without(List<T> values, Set<Integer> indexes) {
    if (values == null || indexes.isEmpty()) {
      return values;
    }
    var kept = new ArrayList<T>();
    for (int i = 0; i < values.size(); i++) {
      if (!indexes.contains(i)) {
        kept.add(values.get(i));
      }
    }
    return kept;
  }
}
