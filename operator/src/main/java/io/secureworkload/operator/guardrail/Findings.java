package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.SecureWorkloadPolicySpec.Mode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects violations, one per field and rule: when several policies hold the same rule, the first
 * enforced one is reported, since that is the one that blocks.
 */
final class Findings {

  private record Key(FieldPath field, Rule rule) {}

  private final Map<Key, Violation> byKey = new LinkedHashMap<>();

  void add(FieldPath field, String badValue, Rule rule, String detail, PolicyRules policy) {
    add(new Violation(field, badValue, rule, detail, policy.name(), policy.mode()));
  }

  /** A rule that holds in every mode: the built-in floor, IAM quotas, a boundary conflict. */
  void addAlwaysEnforced(
      FieldPath field, String badValue, Rule rule, String detail, String source) {
    add(new Violation(field, badValue, rule, detail, source, Mode.Enforce));
  }

  void add(Violation violation) {
    var key = new Key(violation.field(), violation.rule());
    var known = byKey.get(key);
    if (known == null || (!known.enforced() && violation.enforced())) {
      byKey.put(key, violation);
    }
  }

  List<Violation> list() {
    return new ArrayList<>(byKey.values());
  }
}
