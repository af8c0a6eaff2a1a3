package io.secureworkload.operator.guardrail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secureworkload.operator.api.EgressRule;
import io.secureworkload.operator.api.IamSpec;
import io.secureworkload.operator.api.IngressRule;
import io.secureworkload.operator.api.JmesPathEntry;
import io.secureworkload.operator.api.NetworkPeer;
import io.secureworkload.operator.api.NetworkPort;
import io.secureworkload.operator.api.NetworkSpec;
import io.secureworkload.operator.api.SecretObject;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import io.secureworkload.operator.api.SecurityGroupsSpec;
import io.secureworkload.operator.api.ServiceAccountSpec;
import io.secureworkload.operator.api.SyncedSecret;
import io.secureworkload.operator.api.SyncedSecretKey;
import io.secureworkload.operator.api.WorkloadSelector;
import io.secureworkload.operator.iam.PolicyDocuments;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a workload keeps while an enforced violation remains: what exists now, minus what the
 * governing policies refuse. The spec the guardrails narrowed says what the policies still allow;
 * what exists says what the workload had; only what is in both is written. So a tightening always
 * reaches the role and the children, and nothing the tenant added since is written until the
 * violation is fixed.
 *
 * <p>Taking something away never opens more than it closes: a network rule that loses its last peer
 * goes whole, isolation that exists stays (the default deny keeps it when an allow policy goes),
 * and the last security groups of the pods are replaced by the policy's fallback group or, without
 * one, kept and reported.
 */
final class Tightening {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * @param spec what may be written
   * @param inlinePolicy the inline policy that may be written, null for none
   * @param keptRefusedGroups security groups the policies refuse but that stay, since the pods
   *     would otherwise lose every group and no fallback group is configured; empty when none
   */
  record Result(SecureWorkloadSpec spec, String inlinePolicy, List<String> keptRefusedGroups) {}

  private Tightening() {}

  /**
   * @param narrowed the spec without what the enforced violations refuse
   * @param writtenInline the inline policy as it would be written for {@code narrowed}
   * @param refusedGroups the security group ids the enforced policies refuse
   * @param fallbackGroupId the group the policies put in place of the last refused ones, or null
   */
  static Result apply(
      SecureWorkloadSpec narrowed,
      String writtenInline,
      ExistingState existing,
      Set<String> refusedGroups,
      String fallbackGroupId) {
    var spec = MAPPER.convertValue(narrowed, SecureWorkloadSpec.class);
    var inline = tightenRole(spec, writtenInline, existing.role());
    tightenSecrets(spec, existing);
    var keptRefused = tightenSecurityGroups(spec, existing, refusedGroups, fallbackGroupId);
    tightenNetwork(spec, existing);
    keepServiceAccount(spec, existing);
    return new Result(spec, inline, keptRefused);
  }

  private static String tightenRole(
      SecureWorkloadSpec spec, String writtenInline, ExistingState.Role role) {
    var iam = spec.getIam();
    if (role == null) {
      if (iam != null) {
        iam.setStatements(null);
        iam.setManagedPolicyArns(null);
      }
      return null;
    }
    if (iam != null) {
      iam.setManagedPolicyArns(
          emptyToNull(kept(iam.getManagedPolicyArns(), role.managedPolicyArns()::contains)));
      int wanted =
          Optional.ofNullable(iam.getMaxSessionDurationSeconds())
              .orElse(IamSpec.DEFAULT_MAX_SESSION_DURATION_SECONDS);
      if (role.maxSessionDurationSeconds() > 0 && role.maxSessionDurationSeconds() < wanted) {
        iam.setMaxSessionDurationSeconds(role.maxSessionDurationSeconds());
      }
    }
    return keptStatements(writtenInline, role.inlinePolicy());
  }

  /**
   * The statements of {@code written} that some statement of {@code actual} already grants (same
   * conditions, no more actions, no more resources), and every Deny statement, since a Deny only
   * takes away. Null when none is left.
   */
  static String keptStatements(String written, String actual) {
    if (written == null) {
      return null;
    }
    var document = (ObjectNode) parse(written);
    var actualStatements =
        actual == null ? List.<JsonNode>of() : statements(parse(PolicyDocuments.decode(actual)));
    var kept = MAPPER.createArrayNode();
    for (var statement : statements(document)) {
      if (isDeny(statement) || actualStatements.stream().anyMatch(a -> grants(a, statement))) {
        kept.add(statement);
      }
    }
    if (kept.isEmpty()) {
      return null;
    }
    document.set("Statement", kept);
    return document.toString();
  }

  /** Whether {@code granting} grants everything {@code statement} does, under the same terms. */
  private static boolean grants(JsonNode granting, JsonNode statement) {
    if (isDeny(granting) || isDeny(statement)) {
      return false;
    }
    for (var negated : List.of("NotAction", "NotResource", "NotPrincipal", "Principal")) {
      if (granting.has(negated) || statement.has(negated)) {
        return false;
      }
    }
    if (!canonical(granting.get("Condition")).equals(canonical(statement.get("Condition")))) {
      return false;
    }
    var actions = lowerCased(values(granting.get("Action")));
    var resources = values(granting.get("Resource"));
    return actions.containsAll(lowerCased(values(statement.get("Action"))))
        && resources.containsAll(values(statement.get("Resource")));
  }

  private static boolean isDeny(JsonNode statement) {
    return "Deny".equals(statement.path("Effect").asText());
  }

  private static List<JsonNode> statements(JsonNode document) {
    var statement = document.get("Statement");
    if (statement == null) {
      return List.of();
    }
    var list = new ArrayList<JsonNode>();
    if (statement.isArray()) {
      statement.forEach(list::add);
    } else {
      list.add(statement);
    }
    return list;
  }

  private static Set<String> values(JsonNode node) {
    var values = new HashSet<String>();
    if (node == null) {
      return values;
    }
    if (node.isArray()) {
      node.forEach(v -> values.add(v.asText()));
    } else {
      values.add(node.asText());
    }
    return values;
  }

  private static Set<String> lowerCased(Set<String> values) {
    var lower = new HashSet<String>();
    values.forEach(v -> lower.add(v.toLowerCase(Locale.ROOT)));
    return lower;
  }

  /** Objects by key, arrays as sets, a single value as a set of one: IAM's reading. */
  private static Object canonical(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (node.isObject()) {
      var map = new TreeMap<String, Object>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var field = it.next();
        map.put(field.getKey(), canonical(field.getValue()));
      }
      return map;
    }
    var set = new HashSet<String>();
    if (node.isArray()) {
      node.forEach(v -> set.add(v.asText()));
    } else {
      set.add(node.asText());
    }
    return set;
  }

  private static JsonNode parse(String document) {
    try {
      return MAPPER.readTree(document);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not a policy document: " + e.getMessage(), e);
    }
  }

  private static void tightenSecrets(SecureWorkloadSpec spec, ExistingState existing) {
    var secrets = spec.getSecrets();
    if (secrets == null) {
      return;
    }
    if (existing.secretObjects() == null) {
      spec.setSecrets(null);
      return;
    }
    var existingObjects = new HashSet<List<Object>>();
    existing.secretObjects().forEach(o -> existingObjects.add(objectKey(o)));
    secrets.setObjects(kept(secrets.getObjects(), o -> existingObjects.contains(objectKey(o))));
    if (secrets.getObjects() == null || secrets.getObjects().isEmpty()) {
      spec.setSecrets(null);
      return;
    }
    var aliases = new HashSet<String>();
    for (var object : secrets.getObjects()) {
      aliases.add(object.fileName());
      Optional.ofNullable(object.getJmesPath())
          .orElse(List.of())
          .forEach(j -> aliases.add(j.getAlias()));
    }
    secrets.setSyncToSecrets(
        emptyToNull(keptSynced(secrets.getSyncToSecrets(), existing.syncedSecrets(), aliases)));
  }

  /** Everything the provider is told about an object: equal keys mean the same mount. */
  private static List<Object> objectKey(SecretObject object) {
    var jmesPath = new ArrayList<List<String>>();
    for (JmesPathEntry entry : Optional.ofNullable(object.getJmesPath()).orElse(List.of())) {
      jmesPath.add(List.of(entry.getPath(), entry.getAlias()));
    }
    return java.util.Arrays.asList(
        object.getName(),
        object.getType(),
        object.fileName(),
        object.getVersion(),
        object.getVersionLabel(),
        jmesPath);
  }

  private static List<SyncedSecret> keptSynced(
      List<SyncedSecret> wanted, List<SyncedSecret> existing, Set<String> aliases) {
    if (wanted == null || existing == null) {
      return null;
    }
    var kept = new ArrayList<SyncedSecret>();
    for (var synced : wanted) {
      var match =
          existing.stream()
              .filter(e -> Objects.equals(e.getSecretName(), synced.getSecretName()))
              .filter(e -> Objects.equals(typeOf(e), typeOf(synced)))
              .filter(e -> Objects.equals(orEmpty(e.getLabels()), orEmpty(synced.getLabels())))
              .filter(
                  e ->
                      Objects.equals(orEmpty(e.getAnnotations()), orEmpty(synced.getAnnotations())))
              .findFirst();
      if (match.isEmpty()) {
        continue;
      }
      var existingKeys =
          new HashSet<>(Optional.ofNullable(match.get().getData()).orElse(List.of()));
      List<SyncedSecretKey> data =
          kept(
              synced.getData(),
              key -> existingKeys.contains(key) && aliases.contains(key.getObjectAlias()));
      if (data != null && !data.isEmpty()) {
        synced.setData(data);
        kept.add(synced);
      }
    }
    return kept;
  }

  private static String typeOf(SyncedSecret synced) {
    return synced.getType() == null ? "Opaque" : synced.getType();
  }

  /**
   * The existing groups the policies do not refuse and the spec still names. When none is left, the
   * pods would fall back to the node's groups, which may open more: the fallback group takes their
   * place, or, without one, the existing groups stay and are reported.
   */
  private static List<String> tightenSecurityGroups(
      SecureWorkloadSpec spec,
      ExistingState existing,
      Set<String> refusedGroups,
      String fallbackGroupId) {
    if (existing.securityGroupIds() == null || existing.securityGroupIds().isEmpty()) {
      spec.setSecurityGroups(null);
      return List.of();
    }
    var named =
        Optional.ofNullable(spec.getSecurityGroups())
            .map(SecurityGroupsSpec::getGroupIds)
            .orElse(List.of());
    var kept = new ArrayList<String>();
    for (var group : existing.securityGroupIds()) {
      if (!refusedGroups.contains(group) && (named.isEmpty() || named.contains(group))) {
        kept.add(group);
      }
    }
    List<String> keptRefused = List.of();
    if (kept.isEmpty()) {
      if (fallbackGroupId != null) {
        kept.add(fallbackGroupId);
      } else {
        kept.addAll(existing.securityGroupIds());
        keptRefused = existing.securityGroupIds().stream().filter(refusedGroups::contains).toList();
      }
    }
    var groups = new SecurityGroupsSpec();
    groups.setGroupIds(kept);
    spec.setSecurityGroups(groups);
    return keptRefused;
  }

  /** The role trusts the ServiceAccount that exists; a rename waits like any other change. */
  private static void keepServiceAccount(SecureWorkloadSpec spec, ExistingState existing) {
    if (existing.serviceAccountName() == null) {
      return;
    }
    var serviceAccount =
        Optional.ofNullable(spec.getServiceAccount()).orElseGet(ServiceAccountSpec::new);
    serviceAccount.setName(existing.serviceAccountName());
    spec.setServiceAccount(serviceAccount);
  }

  private static void tightenNetwork(SecureWorkloadSpec spec, ExistingState existing) {
    if (existing.podSelector() != null) {
      var selector = Optional.ofNullable(spec.getSelector()).orElseGet(WorkloadSelector::new);
      selector.setMatchLabels(existing.podSelector());
      spec.setSelector(selector);
    }
    var network = spec.getNetwork();
    if (existing.ingress() == null
        && existing.egress() == null
        && !existing.isolatesIngress()
        && !existing.isolatesEgress()) {
      // No NetworkPolicy of the workload exists: none is made while it is blocked.
      spec.setNetwork(null);
      return;
    }
    if (network == null) {
      if (!existing.isolatesIngress() && !existing.isolatesEgress()) {
        return;
      }
      network = new NetworkSpec();
      network.setAllowDns(anyRuleOnPort(existing.egress(), 53));
      network.setAllowAwsApis(anyRuleOnPort(existing.egress(), 443));
      spec.setNetwork(network);
    }
    var defaultDeny =
        Optional.ofNullable(network.getDefaultDeny()).orElseGet(NetworkSpec.DefaultDeny::new);
    defaultDeny.setIngress(
        !Boolean.FALSE.equals(defaultDeny.getIngress()) || existing.isolatesIngress());
    defaultDeny.setEgress(
        !Boolean.FALSE.equals(defaultDeny.getEgress()) || existing.isolatesEgress());
    network.setDefaultDeny(defaultDeny);
    network.setIngress(
        emptyToNull(
            keptRules(
                network.getIngress(),
                existing.ingress(),
                IngressRule::getFrom,
                IngressRule::getPorts,
                (rule, peers) -> {
                  rule.setFrom(peers);
                  return rule;
                })));
    network.setEgress(
        emptyToNull(
            keptRules(
                network.getEgress(),
                existing.egress(),
                EgressRule::getTo,
                EgressRule::getPorts,
                (rule, peers) -> {
                  rule.setTo(peers);
                  return rule;
                })));
  }

  private static boolean anyRuleOnPort(List<EgressRule> rules, int port) {
    return rules != null
        && rules.stream()
            .flatMap(r -> Optional.ofNullable(r.getPorts()).orElse(List.of()).stream())
            .anyMatch(p -> p.getPort() != null && p.getPort() == port);
  }

  /**
   * Each wanted rule keeps the peers that an existing rule on the same ports already has; a rule
   * without peers (every address) stays only where an existing rule on those ports already admitted
   * every address. A rule left without peers goes: without peers it would admit all.
   */
  private static <R> List<R> keptRules(
      List<R> wanted,
      List<R> existing,
      Function<R, List<NetworkPeer>> peersOf,
      Function<R, List<NetworkPort>> portsOf,
      BiFunction<R, List<NetworkPeer>, R> withPeers) {
    if (wanted == null || existing == null) {
      return null;
    }
    var kept = new ArrayList<R>();
    for (var rule : wanted) {
      var ports = portKeys(portsOf.apply(rule));
      var onSamePorts =
          existing.stream().filter(e -> portKeys(portsOf.apply(e)).equals(ports)).toList();
      var peers = Optional.ofNullable(peersOf.apply(rule)).orElse(List.of());
      if (peers.isEmpty()) {
        if (onSamePorts.stream().anyMatch(e -> admitsEveryAddress(peersOf.apply(e)))) {
          kept.add(rule);
        }
        continue;
      }
      var existingPeers = new HashSet<List<Object>>();
      onSamePorts.forEach(
          e ->
              Optional.ofNullable(peersOf.apply(e))
                  .orElse(List.of())
                  .forEach(p -> existingPeers.add(peerKey(p))));
      var keptPeers = peers.stream().filter(p -> existingPeers.contains(peerKey(p))).toList();
      if (!keptPeers.isEmpty()) {
        kept.add(withPeers.apply(rule, keptPeers));
      }
    }
    return kept;
  }

  private static boolean admitsEveryAddress(List<NetworkPeer> peers) {
    if (peers == null || peers.isEmpty()) {
      return true;
    }
    return peers.stream()
        .map(NetworkPeer::getIpBlock)
        .filter(Objects::nonNull)
        .map(NetworkPeer.IpBlock::getCidr)
        .anyMatch(cidr -> CidrBlock.parse(cidr).map(block -> block.prefix() == 0).orElse(false));
  }

  private static String canonicalCidr(String cidr) {
    return CidrBlock.parse(cidr).map(CidrBlock::toString).orElse(cidr);
  }

  private static Set<List<Object>> portKeys(List<NetworkPort> ports) {
    var keys = new LinkedHashSet<List<Object>>();
    for (var port : Optional.ofNullable(ports).orElse(List.of())) {
      keys.add(
          java.util.Arrays.asList(
              port.getProtocol() == null ? NetworkPort.Protocol.TCP : port.getProtocol(),
              port.getPort(),
              port.getEndPort()));
    }
    return keys;
  }

  /** A peer as NetworkPolicies spell it: an empty selector and a missing one differ there. */
  private static List<Object> peerKey(NetworkPeer peer) {
    var ipBlock = peer.getIpBlock();
    return java.util.Arrays.asList(
        ipBlock == null ? null : canonicalCidr(ipBlock.getCidr()),
        ipBlock == null || ipBlock.getExcept() == null || ipBlock.getExcept().isEmpty()
            ? null
            : new HashSet<>(ipBlock.getExcept().stream().map(Tightening::canonicalCidr).toList()),
        selectorKey(peer.getPodSelector()),
        selectorKey(peer.getNamespaceSelector()));
  }

  private static Map<String, String> selectorKey(NetworkPeer.PeerSelector selector) {
    return selector == null ? null : orEmpty(selector.getMatchLabels());
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }

  private static <T> List<T> kept(List<T> values, Predicate<T> keep) {
    return values == null ? null : values.stream().filter(keep).toList();
  }

  private static <T> List<T> emptyToNull(List<T> values) {
    return values == null || values.isEmpty() ? null : new ArrayList<>(values);
  }
}
