package io.secureworkload.operator.guardrail;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.api.SecureWorkloadPolicySpec.Mode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which policies govern a namespace: those that select it by name or by its labels, as Kubernetes
 * selects; and the default, unless one of those is enforced.
 *
 * <p>The default is every policy marked with {@link #DEFAULT_POLICY_LABEL} (the chart installs
 * one), or the built-in {@link DefaultGuardrails#policy()} when none is marked. A marked default
 * governs exactly the namespaces that no other enforced policy selects, whatever its own selectors
 * say: it is the floor of the namespaces nobody else looks after, not one more tenant policy. Audit
 * policies do not count, so that trying a stricter policy in Audit never lifts the default's
 * enforcement.
 */
public final class PolicySelection {

  /** The label, with the value {@code "true"}, that makes a SecureWorkloadPolicy the default. */
  public static final String DEFAULT_POLICY_LABEL = "secureworkload.io/default-policy";

  private PolicySelection() {}

  /**
   * Every policy that governs the namespace: the ones that select it, plus the defaults when none
   * of those is enforced.
   *
   * @param policies every SecureWorkloadPolicy of the cluster, marked defaults included
   * @param builtInDefault the default when no policy is marked as one
   */
  public static List<SecureWorkloadPolicy> governing(
      List<SecureWorkloadPolicy> policies,
      String namespace,
      Map<String, String> labels,
      SecureWorkloadPolicy builtInDefault) {
    var marked = policies.stream().filter(PolicySelection::isMarkedDefault).toList();
    return withDefaults(
        matching(policies, namespace, labels), marked.isEmpty() ? List.of(builtInDefault) : marked);
  }

  /**
   * The policies that select the namespace by their own selectors, in the order given. Marked
   * defaults are never among them: they govern by what the others leave (see {@link #governing}).
   */
  public static List<SecureWorkloadPolicy> matching(
      List<SecureWorkloadPolicy> policies, String namespace, Map<String, String> labels) {
    return policies.stream()
        .filter(policy -> !isMarkedDefault(policy))
        .filter(policy -> selects(policy, namespace, labels))
        .toList();
  }

  /**
   * The matching policies, followed by the defaults (by name) when no matching policy is enforced.
   */
  static List<SecureWorkloadPolicy> withDefaults(
      List<SecureWorkloadPolicy> matching, List<SecureWorkloadPolicy> defaults) {
    if (matching.stream().anyMatch(PolicySelection::enforced)) {
      return matching;
    }
    var sortedDefaults =
        defaults.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName()));
    return Stream.concat(matching.stream(), sortedDefaults).toList();
  }

  /**
   * Whether this policy, one of {@code policies}, governs the namespace: what its status counts.
   * Agrees with {@link #governing} for every policy of the cluster.
   */
  public static boolean governs(
      SecureWorkloadPolicy policy,
      List<SecureWorkloadPolicy> policies,
      String namespace,
      Map<String, String> labels) {
    if (!isMarkedDefault(policy)) {
      return selects(policy, namespace, labels);
    }
    return matching(policies, namespace, labels).stream().noneMatch(PolicySelection::enforced);
  }

  /**
   * Whether an update of a policy can change what governs a namespace: a new spec (generation), or
   * the default mark given or taken away, which changes no generation.
   */
  public static boolean governanceChanged(SecureWorkloadPolicy updated, SecureWorkloadPolicy old) {
    return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || isMarkedDefault(updated) != isMarkedDefault(old);
  }

  /** Whether the policy carries {@link #DEFAULT_POLICY_LABEL}{@code : "true"}. */
  public static boolean isMarkedDefault(SecureWorkloadPolicy policy) {
    var labels = policy.getMetadata() == null ? null : policy.getMetadata().getLabels();
    return labels != null && "true".equals(labels.get(DEFAULT_POLICY_LABEL));
  }

  /** Whether the policy's own selectors select the namespace; a marked default's are not used. */
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

  /** An unset mode is the schema's default, Enforce. */
  private static boolean enforced(SecureWorkloadPolicy policy) {
    return policy.getSpec() != null && policy.getSpec().getMode() != Mode.Audit;
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
