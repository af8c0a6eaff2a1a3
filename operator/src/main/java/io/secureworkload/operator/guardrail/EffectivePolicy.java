package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.AccountMapping;
import io.secureworkload.operator.api.IdentityMode;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every policy that governs one namespace, combined so that the most restrictive wins: each
 * policy's rules are checked on their own (a union of denies, an intersection of allow-lists, AND
 * of booleans, the least of limits), and an action leaves the escalation floor only if every policy
 * opts it out.
 */
public final class EffectivePolicy {

  private final List<PolicyRules> rules;

  private EffectivePolicy(List<PolicyRules> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * @param governing every policy that governs the namespace, the default included when it applies
   *     (see {@link PolicySelection#governing})
   */
  public static EffectivePolicy of(List<SecureWorkloadPolicy> governing) {
    if (governing.isEmpty()) {
      throw new IllegalArgumentException("a namespace is always governed, by the default at least");
    }
    return new EffectivePolicy(governing.stream().map(PolicyRules::of).toList());
  }

  /**
   * @param matching the policies that select the namespace (see {@link PolicySelection#matching})
   * @param defaultPolicy what governs the namespace too when none of them is enforced, usually
   *     {@link DefaultGuardrails#policy()}
   */
  public static EffectivePolicy combine(
      List<SecureWorkloadPolicy> matching, SecureWorkloadPolicy defaultPolicy) {
    return of(PolicySelection.withDefaults(matching, List.of(defaultPolicy)));
  }

  public List<PolicyRules> rules() {
    return rules;
  }

  public List<String> policyNames() {
    return rules.stream().map(PolicyRules::name).toList();
  }

  /**
   * Floor actions, lower-cased, that every enforced policy names in allowEscalationActions (every
   * policy when none is enforced). The floor holds in every mode, so an Audit policy beside
   * enforced ones neither lifts it nor makes it stricter: Audit layers, it never decides.
   */
  public Set<String> escalationOptOuts() {
    var deciding = rules.stream().filter(PolicyRules::enforced).toList();
    Set<String> common = null;
    for (var rule : deciding.isEmpty() ? rules : deciding) {
      var named = new LinkedHashSet<String>();
      rule.allowEscalationActions().forEach(a -> named.add(a.toLowerCase(Locale.ROOT)));
      if (common == null) {
        common = named;
      } else {
        common.retainAll(named);
      }
    }
    return common == null ? Set.of() : Set.copyOf(common);
  }

  /**
   * The boundary Enforce policies name, by policy, placeholders filled in. Audit policies block
   * nothing, so their boundary is not applied either.
   */
  public Map<String, String> permissionsBoundaries(Placeholders placeholders) {
    var byPolicy = new LinkedHashMap<String, String>();
    for (var rule : rules) {
      if (rule.enforced() && rule.permissionsBoundaryArn() != null) {
        byPolicy.put(rule.name(), placeholders.substitute(rule.permissionsBoundaryArn()));
      }
    }
    return byPolicy;
  }

  /**
   * The account each Enforce policy keeps the namespace's roles in, by policy. Audit policies never
   * move a role.
   */
  public Map<String, AccountMapping> accounts() {
    var byPolicy = new LinkedHashMap<String, AccountMapping>();
    for (var rule : rules) {
      if (rule.enforced() && rule.account() != null) {
        byPolicy.put(rule.name(), rule.account());
      }
    }
    return byPolicy;
  }

  /**
   * The one account the roles live in; empty when no Enforce policy names one (the operator's own
   * account) or when they disagree (a conflict, which {@link GuardrailEvaluator} reports).
   */
  public Optional<AccountMapping> account() {
    var distinct = Set.copyOf(accounts().values());
    return distinct.size() == 1 ? distinct.stream().findFirst() : Optional.empty();
  }

  /** Whether Enforce policies name different accounts, or reach one account differently. */
  public boolean accountConflict() {
    return Set.copyOf(accounts().values()).size() > 1;
  }

  /**
   * The one boundary to attach; empty when no policy names one (then the operator's setting
   * decides) or when they disagree (a conflict, which {@link GuardrailEvaluator} reports).
   */
  public Optional<String> permissionsBoundaryArn(Placeholders placeholders) {
    var distinct = Set.copyOf(permissionsBoundaries(placeholders).values());
    return distinct.size() == 1 ? distinct.stream().findFirst() : Optional.empty();
  }

  /**
   * The accounts that every enforced policy lets ARNs name, placeholders filled in; the own account
   * when no policy is enforced.
   */
  public List<String> allowedAccounts(Placeholders placeholders) {
    Set<String> common = null;
    for (var rule : rules.stream().filter(PolicyRules::enforced).toList()) {
      var accounts = new java.util.TreeSet<String>();
      rule.allowedAccounts().forEach(a -> accounts.add(placeholders.substitute(a)));
      if (common == null) {
        common = accounts;
      } else {
        common.retainAll(accounts);
      }
    }
    return common == null ? List.of(placeholders.account()) : List.copyOf(common);
  }

  /**
   * The group that replaces the last refused security groups of an existing workload: the one every
   * enforced policy that names one agrees on; empty when none names one or they disagree.
   */
  public Optional<String> fallbackSecurityGroupId() {
    var named =
        rules.stream()
            .filter(PolicyRules::enforced)
            .map(PolicyRules::fallbackSecurityGroupId)
            .filter(java.util.Objects::nonNull)
            .collect(java.util.stream.Collectors.toSet());
    return named.size() == 1 ? named.stream().findFirst() : Optional.empty();
  }

  public boolean allowRetain() {
    return rules.stream().allMatch(PolicyRules::allowRetain);
  }

  public int maxSessionDurationSeconds() {
    return rules.stream().mapToInt(PolicyRules::maxSessionDurationSeconds).min().orElseThrow();
  }

  /** The modes every Enforce policy allows: Audit policies report, they never restrict. */
  public Set<IdentityMode> allowedIdentityModes() {
    var allowed = EnumSet.allOf(IdentityMode.class);
    rules.stream()
        .filter(PolicyRules::enforced)
        .forEach(rule -> allowed.retainAll(rule.allowedIdentityModes()));
    return allowed;
  }

  /**
   * The mode of a workload that names none: the first Enforce policy's default that every Enforce
   * policy allows and that is available, else IRSA, else Pod Identity, as allowed and available;
   * empty when no mode is.
   */
  public Optional<IdentityMode> defaultIdentityMode(boolean podIdentityAvailable) {
    var usable = allowedIdentityModes();
    if (!podIdentityAvailable) {
      usable.remove(IdentityMode.PodIdentity);
    }
    return rules.stream()
        .filter(PolicyRules::enforced)
        .map(PolicyRules::defaultIdentityMode)
        .filter(mode -> mode != null && usable.contains(mode))
        .findFirst()
        .or(() -> usable.stream().findFirst());
  }

  public int maxWorkloadsPerNamespace() {
    return rules.stream().mapToInt(PolicyRules::maxWorkloadsPerNamespace).min().orElseThrow();
  }

  @Override
  public String toString() {
    return "EffectivePolicy" + policyNames();
  }
}
