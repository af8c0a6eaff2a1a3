package io.secureworkload.operator.dependent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.secureworkload.operator.api.EgressRule;
import io.secureworkload.operator.api.IngressRule;
import io.secureworkload.operator.api.JmesPathEntry;
import io.secureworkload.operator.api.NetworkPeer;
import io.secureworkload.operator.api.NetworkPort;
import io.secureworkload.operator.api.SecretObject;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SyncedSecret;
import io.secureworkload.operator.api.SyncedSecretKey;
import io.secureworkload.operator.guardrail.ExistingState;
import io.secureworkload.operator.thirdparty.SecretProviderClass;
import io.secureworkload.operator.thirdparty.SecurityGroupPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The workload's children as they are now, read back from the informers' caches into the spec's
 * vocabulary, for the guardrails' decision while an enforced violation remains. Only objects owned
 * by the workload count. What cannot be read back (a peer with label expressions, a named port)
 * comes back as something no spec can equal, so it is never kept.
 */
final class ExistingChildren {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String UNREADABLE = "secureworkload.io/unreadable";

  private ExistingChildren() {}

  /** The children that exist; the role is the caller's to add ({@link ExistingState#withRole}). */
  static ExistingState of(SecureWorkload workload, Context<SecureWorkload> context) {
    var name = workload.getMetadata().getName();
    var spc = owned(workload, secondary(context, SecretProviderClass.class));
    var sgp = owned(workload, secondary(context, SecurityGroupPolicy.class));
    var policies =
        context.getSecondaryResources(NetworkPolicy.class).stream()
            .filter(p -> WorkloadChildDependent.isOwnedBy(p, workload))
            .toList();
    var serviceAccounts =
        context.getSecondaryResources(ServiceAccount.class).stream()
            .filter(sa -> WorkloadChildDependent.isOwnedBy(sa, workload))
            .map(sa -> sa.getMetadata().getName())
            .toList();
    var ingressPolicy = byName(policies, name + "-ingress");
    var egressPolicy = byName(policies, name + "-egress");
    Map<String, String> podSelector =
        policies.stream()
            .map(p -> p.getSpec().getPodSelector())
            .findFirst()
            .or(() -> sgp.map(g -> g.getSpec().getPodSelector()))
            .flatMap(ExistingChildren::plainLabels)
            .orElse(null);
    return new ExistingState(
        null,
        spc.map(ExistingChildren::secretObjects).orElse(null),
        spc.map(ExistingChildren::syncedSecrets).orElse(null),
        sgp.map(g -> g.getSpec().getSecurityGroups())
            .map(g -> g.getGroupIds() == null ? List.<String>of() : List.copyOf(g.getGroupIds()))
            .orElse(null),
        // Two while a rename is under way: then the spec's name, which the role already trusts.
        serviceAccounts.size() == 1 ? serviceAccounts.get(0) : null,
        podSelector,
        ingressPolicy.map(ExistingChildren::ingressRules).orElse(null),
        egressPolicy.map(ExistingChildren::egressRules).orElse(null),
        policies.stream().anyMatch(p -> isolates(p, NetworkPolicies.INGRESS)),
        policies.stream().anyMatch(p -> isolates(p, NetworkPolicies.EGRESS)));
  }

  private static <R extends HasMetadata> Optional<R> secondary(
      Context<SecureWorkload> context, Class<R> type) {
    try {
      return context.getSecondaryResource(type);
    } catch (RuntimeException noEventSource) {
      // Its CRD is not installed, so no such object can exist.
      return Optional.empty();
    }
  }

  private static <R extends HasMetadata> Optional<R> owned(
      SecureWorkload workload, Optional<R> child) {
    return child.filter(c -> WorkloadChildDependent.isOwnedBy(c, workload));
  }

  private static Optional<NetworkPolicy> byName(List<NetworkPolicy> policies, String name) {
    return policies.stream().filter(p -> name.equals(p.getMetadata().getName())).findFirst();
  }

  private static boolean isolates(NetworkPolicy policy, String direction) {
    var types = policy.getSpec().getPolicyTypes();
    if (types == null || types.isEmpty()) {
      // Kubernetes' default: Ingress always, Egress when there are egress rules.
      return NetworkPolicies.INGRESS.equals(direction)
          || (policy.getSpec().getEgress() != null && !policy.getSpec().getEgress().isEmpty());
    }
    return types.contains(direction);
  }

  private static List<SecretObject> secretObjects(SecretProviderClass spc) {
    var parameters = spc.getSpec() == null ? null : spc.getSpec().getParameters();
    var objects = parameters == null ? null : parameters.get("objects");
    if (objects == null || objects.isBlank()) {
      return List.of();
    }
    try {
      var read = new ArrayList<SecretObject>();
      for (var node : YAML.readTree(objects)) {
        read.add(secretObject(node));
      }
      return read;
    } catch (IOException | IllegalArgumentException e) {
      return List.of();
    }
  }

  private static SecretObject secretObject(JsonNode node) {
    var object = new SecretObject();
    object.setName(text(node, "objectName"));
    object.setType(SecretObject.ObjectType.valueOf(text(node, "objectType")));
    object.setAlias(text(node, "objectAlias"));
    object.setVersion(text(node, "objectVersion"));
    object.setVersionLabel(text(node, "objectVersionLabel"));
    if (node.has("jmesPath")) {
      var entries = new ArrayList<JmesPathEntry>();
      for (var entry : node.get("jmesPath")) {
        var jmesPath = new JmesPathEntry();
        jmesPath.setPath(text(entry, "path"));
        jmesPath.setAlias(text(entry, "objectAlias"));
        entries.add(jmesPath);
      }
      object.setJmesPath(entries);
    }
    return object;
  }

  private static String text(JsonNode node, String field) {
    var value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static List<SyncedSecret> syncedSecrets(SecretProviderClass spc) {
    var objects = spc.getSpec() == null ? null : spc.getSpec().getSecretObjects();
    if (objects == null) {
      return List.of();
    }
    var synced = new ArrayList<SyncedSecret>();
    for (var object : objects) {
      var secret = new SyncedSecret();
      secret.setSecretName(object.getSecretName());
      secret.setType(object.getType());
      secret.setLabels(object.getLabels());
      secret.setAnnotations(object.getAnnotations());
      var data = new ArrayList<SyncedSecretKey>();
      for (var item : Optional.ofNullable(object.getData()).orElse(List.of())) {
        var key = new SyncedSecretKey();
        key.setKey(item.getKey());
        key.setObjectAlias(item.getObjectName());
        data.add(key);
      }
      secret.setData(data);
      synced.add(secret);
    }
    return synced;
  }

  private static List<IngressRule> ingressRules(NetworkPolicy policy) {
    var rules = new ArrayList<IngressRule>();
    for (var rule : Optional.ofNullable(policy.getSpec().getIngress()).orElse(List.of())) {
      var read = new IngressRule();
      read.setFrom(peers(rule.getFrom()));
      read.setPorts(ports(rule.getPorts()));
      rules.add(read);
    }
    return rules;
  }

  private static List<EgressRule> egressRules(NetworkPolicy policy) {
    var rules = new ArrayList<EgressRule>();
    for (var rule : Optional.ofNullable(policy.getSpec().getEgress()).orElse(List.of())) {
      var read = new EgressRule();
      read.setTo(peers(rule.getTo()));
      read.setPorts(ports(rule.getPorts()));
      rules.add(read);
    }
    return rules;
  }

  private static List<NetworkPeer> peers(List<NetworkPolicyPeer> peers) {
    if (peers == null || peers.isEmpty()) {
      return null;
    }
    return peers.stream().map(ExistingChildren::peer).toList();
  }

  private static NetworkPeer peer(NetworkPolicyPeer written) {
    var peer = new NetworkPeer();
    if (written.getIpBlock() != null) {
      var ipBlock = new NetworkPeer.IpBlock();
      ipBlock.setCidr(written.getIpBlock().getCidr());
      ipBlock.setExcept(written.getIpBlock().getExcept());
      peer.setIpBlock(ipBlock);
    }
    peer.setPodSelector(selector(written.getPodSelector()));
    peer.setNamespaceSelector(selector(written.getNamespaceSelector()));
    return peer;
  }

  private static NetworkPeer.PeerSelector selector(LabelSelector selector) {
    if (selector == null) {
      return null;
    }
    var read = new NetworkPeer.PeerSelector();
    read.setMatchLabels(labels(selector));
    return read;
  }

  /** The pods a workload's children select: only a plain, non-empty label set is taken over. */
  private static Optional<Map<String, String>> plainLabels(LabelSelector selector) {
    if (selector == null
        || selector.getMatchLabels() == null
        || selector.getMatchLabels().isEmpty()
        || (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(Map.copyOf(selector.getMatchLabels()));
  }

  /** The labels of a selector; one with expressions, which no spec writes, matches no spec. */
  private static Map<String, String> labels(LabelSelector selector) {
    if (selector == null) {
      return Map.of();
    }
    if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
      return Map.of(UNREADABLE, "matchExpressions");
    }
    return selector.getMatchLabels() == null ? Map.of() : Map.copyOf(selector.getMatchLabels());
  }

  private static List<NetworkPort> ports(List<NetworkPolicyPort> ports) {
    if (ports == null || ports.isEmpty()) {
      return null;
    }
    var read = new ArrayList<NetworkPort>();
    for (var written : ports) {
      var port = new NetworkPort();
      try {
        port.setProtocol(
            written.getProtocol() == null
                ? NetworkPort.Protocol.TCP
                : NetworkPort.Protocol.valueOf(written.getProtocol()));
      } catch (IllegalArgumentException unknownProtocol) {
        port.setPort(-1);
        read.add(port);
        continue;
      }
      var number = written.getPort() == null ? null : written.getPort().getIntVal();
      port.setPort(number == null ? -1 : number);
      port.setEndPort(written.getEndPort());
      read.add(port);
    }
    return read;
  }
}
