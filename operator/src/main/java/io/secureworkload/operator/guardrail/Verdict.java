package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.SecureWorkloadPolicySpec.Mode;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of one evaluation: every violation, each with the mode of the policy that holds its
 * rule. Enforced violations block a new workload and narrow an existing one; audited ones are only
 * reported.
 *
 * @param spec the evaluated spec, which {@link #narrowed()} starts from
 * @param inlinePolicy the inline policy exactly as it would be sent for what the verdict admits
 *     (the spec, or the narrowed spec when something is enforced), null for none; IAM's size limit
 *     was measured on it
 */
public record Verdict(List<Violation> violations, SecureWorkloadSpec spec, String inlinePolicy) {

  public Verdict {
    violations = List.copyOf(violations);
  }

  public boolean compliant() {
    return violations.isEmpty();
  }

  /** Whether anything must be refused: some violation is enforced. */
  public boolean blocks() {
    return violations.stream().anyMatch(Violation::enforced);
  }

  /** Enforce when something is refused, Audit when violations are only reported. */
  public Mode mode() {
    return blocks() ? Mode.Enforce : Mode.Audit;
  }

  public List<Violation> enforced() {
    return violations.stream().filter(Violation::enforced).toList();
  }

  public List<Violation> audited() {
    return violations.stream().filter(v -> !v.enforced()).toList();
  }

  /**
   * The spec with what enforced violations refuse taken out, for a workload that exists already: it
   * only ever loses permissions, never gains one.
   */
  public SpecNarrowing.Narrowed narrowed() {
    return SpecNarrowing.narrow(spec, enforced());
  }

  /** A condition or Event message: the first {@code max} violations, then how many more. */
  public static String summary(List<Violation> violations, int max) {
    var shown =
        violations.stream().limit(max).map(Violation::message).collect(Collectors.joining("; "));
    int more = violations.size() - Math.min(max, violations.size());
    return more > 0 ? shown + "; and " + more + " more" : shown;
  }
}
