package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.PolicyStatement;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A tenant's conditions may not name a key the operator sets itself ({@link
 * PolicyStatement#OPERATOR_CONDITION_KEYS}), in any spelling: IAM compares keys without regard to
 * case, so {@code kms:viaservice} under {@code StringEqualsIfExists} or {@code
 * ForAnyValue:StringLike} would stand beside the operator's {@code kms:ViaService} in one document,
 * and which IAM heeds is not for the tenant to choose. Refused in every mode, since the operator's
 * conditions are what keep the other rules true. Deny statements get no condition from the
 * operator, so theirs are the tenant's own.
 */
final class TenantConditions {

  private static final Set<String> OPERATOR_KEYS =
      PolicyStatement.OPERATOR_CONDITION_KEYS.stream()
          .map(TenantConditions::normalised)
          .collect(Collectors.toUnmodifiableSet());

  private TenantConditions() {}

  static void check(SecureWorkloadSpec spec, Findings findings) {
    IamRules.forEachAllowStatement(
        spec,
        (field, statement) -> {
          var conditions = Optional.ofNullable(statement.getConditions()).orElse(Map.of());
          for (var operator : conditions.entrySet()) {
            var keys = Optional.ofNullable(operator.getValue()).orElse(Map.of()).keySet();
            for (var key : keys) {
              if (OPERATOR_KEYS.contains(normalised(key))) {
                findings.addAlwaysEnforced(
                    field.child("conditions").child(operator.getKey()).child(key),
                    key,
                    Rule.OPERATOR_CONDITION_KEY,
                    "the operator sets this condition key itself ("
                        + String.join(", ", PolicyStatement.OPERATOR_CONDITION_KEYS)
                        + "); a statement may not name it, in any case or under any operator",
                    DefaultGuardrails.DEFAULT_POLICY_NAME);
              }
            }
          }
        });
  }

  /** As IAM compares keys: without regard to case; surrounding blanks taken off too. */
  static String normalised(String key) {
    return key.strip().toLowerCase(Locale.ROOT);
  }
}
