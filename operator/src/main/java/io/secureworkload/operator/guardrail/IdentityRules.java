package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which identity mode a workload gets. The tenant may name one; the policies decide which are
 * allowed and which one a workload that names none gets. The trust of either mode is the
 * operator's, never the tenant's.
 */
final class IdentityRules {

  static final FieldPath MODE = FieldPath.of("spec", "identity", "mode");

  private IdentityRules() {}

  static void check(
      SecureWorkloadSpec spec,
      EffectivePolicy policy,
      GuardrailContext context,
      Findings findings) {
    var requested = requested(spec);
    for (var rules : policy.rules()) {
      if (requested != null && !rules.allowedIdentityModes().contains(requested)) {
        findings.add(
            MODE,
            requested.name(),
            Rule.IDENTITY_MODE_NOT_ALLOWED,
            "this namespace's workloads may use "
                + rules.allowedIdentityModes().stream()
                    .map(Enum::name)
                    .collect(Collectors.joining(" or ")),
            rules);
      }
    }
    var unavailable = context.podIdentityUnavailable();
    if (requested == IdentityMode.PodIdentity && unavailable != null) {
      findings.addAlwaysEnforced(
          MODE, requested.name(), Rule.IDENTITY_MODE_NOT_AVAILABLE, unavailable, "operator");
    }
    if (policy.defaultIdentityMode(unavailable == null).isEmpty()) {
      findings.addAlwaysEnforced(
          FieldPath.of("spec", "identity"),
          String.join(", ", policy.policyNames()),
          Rule.IDENTITY_MODE_CONFLICT,
          "no identity mode is allowed by every policy of the namespace ("
              + String.join(", ", policy.policyNames())
              + ")"
              + (unavailable == null ? "" : " and available here: " + unavailable)
              + "; the platform team must allow one",
          String.join(", ", policy.policyNames()));
    }
  }

  /**
   * The mode written: the one the admitted spec names, else the policies' default. While the spec
   * is blocked, a switch waits like every other change: the mode in effect stays while it is still
   * allowed and available.
   *
   * @param current the mode in effect, null for a workload that has none yet
   */
  static Optional<IdentityMode> decide(
      SecureWorkloadSpec admitted,
      EffectivePolicy policy,
      GuardrailContext context,
      boolean blocked,
      IdentityMode current) {
    boolean available = context.podIdentityUnavailable() == null;
    if (blocked && current != null && usable(current, policy, available)) {
      return Optional.of(current);
    }
    var requested = requested(admitted);
    if (requested != null && usable(requested, policy, available)) {
      return Optional.of(requested);
    }
    return policy.defaultIdentityMode(available).or(() -> Optional.ofNullable(current));
  }

  private static boolean usable(IdentityMode mode, EffectivePolicy policy, boolean available) {
    return policy.allowedIdentityModes().contains(mode)
        && (available || mode != IdentityMode.PodIdentity);
  }

  private static IdentityMode requested(SecureWorkloadSpec spec) {
    return spec == null || spec.getIdentity() == null ? null : spec.getIdentity().getMode();
  }
}
