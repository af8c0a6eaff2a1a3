package io.secureworkload.operator.guardrail;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ARNs one workload's spec names, each parsed once for a decision: the rules of every policy
 * and the writer look at the same ones. Kept for one decision only, so that tenants' names never
 * fill the operator's heap.
 */
final class TenantArns {

  private final Map<String, Optional<ArnPattern>> parsed = new HashMap<>();

  /** {@link ArnPattern#parse(String)}, once per ARN. */
  Optional<ArnPattern> parse(String arn) {
    return parsed.computeIfAbsent(arn, ArnPattern::parse);
  }
}
