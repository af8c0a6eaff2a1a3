package io.secureworkload.operator.guardrail;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which policies govern a namespace: by name, or by its labels, as Kubernetes selects. */
public final class PolicySelection {

  private PolicySelection() {}

  /** The policies that select the namespace, in the order given. */
  public static List<SecureWorkloadPolicy> matching(
      List<SecureWorkloadPolicy> policies, String namespace, Map<String, String> labels) {
    return policies.stream().filter(policy -> selects(policy, namespace, labels)).toList();
  }

  public static boolean selects(
      SecureWorkloadPolicy policy, String namespace, Map<String, String> labels) {
    var spec = policy.getSpec();
    if (spec == null) {
      return false;
    }
    if (spec.getNamespaces() != null && spec.getNamespaces().contains(namespace)) {
      return true;
    }
    return spec.getNamespaceSelector() != null
        && matches(spec.getNamespaceSelector(), labels == null ? Map.of() : labels);
  }

  /** An empty selector matches everything, as in Kubernetes. */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    var matchLabels = Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of());
    if (!matchLabels.entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
      return false;
    }
    return Optional.ofNullable(selector.getMatchExpressions()).orElse(List.of()).stream()
        .allMatch(requirement -> matches(requirement, labels));
  }

  /** An unknown operator selects nothing: a typo must not widen a policy's reach silently. */
  private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
    var value = labels.get(requirement.getKey());
    var values = Optional.ofNullable(requirement.getValues()).orElse(List.of());
    return switch (String.valueOf(requirement.getOperator())) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> false;
    };
  }
}
