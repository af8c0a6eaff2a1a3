package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.IamGuardrails;
import io.secureworkload.operator.api.NetworkGuardrails;
import io.secureworkload.operator.api.SecretGuardrails;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What is wrong with a policy's own patterns. A pattern that scopes by {@code ${namespace}} is safe
 * only where no two namespaces can reach the same name: at the start of a name or right after
 * {@code :} or {@code /}, with no wildcard before it in the resource, and followed by the end or by
 * a character no namespace name can hold ({@code team-*} reaches {@code team-payments}, {@code
 * team.*} does not). An unsafe pattern matches nothing: {@link PolicyRules} leaves it out, and the
 * policy's status names it; the rest of the policy applies. Action patterns that name no action of
 * the catalogue are reported too: a misspelt denial denies nothing; so are CIDR blocks that cannot
 * be read (only an earlier schema lets them in), which allow nothing or deny everything.
 */
public final class PolicyPatterns {

  private static final String NAMESPACE = "${namespace}";
  private static final int ARN_SEGMENTS = 6;

  /** One bad pattern: where, what, why. */
  public record Problem(String field, String pattern, String reason) {
    public String message() {
      return field + ": \"" + pattern + "\": " + reason;
    }
  }

  private PolicyPatterns() {}

  public static List<Problem> problems(SecureWorkloadPolicy policy) {
    var problems = new ArrayList<Problem>();
    var spec = policy.getSpec();
    if (spec == null) {
      return problems;
    }
    var iam = Optional.ofNullable(spec.getIam()).orElseGet(IamGuardrails::new);
    var secrets = Optional.ofNullable(spec.getSecrets()).orElseGet(SecretGuardrails::new);
    check(
        "spec.iam.allowedResources",
        iam.getAllowedResources(),
        PolicyPatterns::unsafeArn,
        problems);
    check(
        "spec.iam.allowedManagedPolicyArns",
        iam.getAllowedManagedPolicyArns(),
        PolicyPatterns::unsafeArn,
        problems);
    check(
        "spec.secrets.allowedKmsKeys",
        secrets.getAllowedKmsKeys(),
        PolicyPatterns::unsafeArn,
        problems);
    check(
        "spec.secrets.allowedNames",
        secrets.getAllowedNames(),
        PolicyPatterns::unsafeName,
        problems);
    check("spec.iam.allowedActions", iam.getAllowedActions(), PolicyPatterns::unknown, problems);
    check("spec.iam.deniedActions", iam.getDeniedActions(), PolicyPatterns::unknown, problems);
    check(
        "spec.iam.wildcardResourceActions",
        iam.getWildcardResourceActions(),
        PolicyPatterns::unknown,
        problems);
    check(
        "spec.iam.allowEscalationActions",
        iam.getAllowEscalationActions(),
        PolicyPatterns::unknown,
        problems);
    var network = Optional.ofNullable(spec.getNetwork()).orElseGet(NetworkGuardrails::new);
    check(
        "spec.network.allowedCidrs",
        network.getAllowedCidrs(),
        cidr -> unreadable(cidr, "it allows nothing"),
        problems);
    check(
        "spec.network.deniedCidrs",
        network.getDeniedCidrs(),
        cidr -> unreadable(cidr, "the policy denies every address while it is there"),
        problems);
    return problems;
  }

  /** The patterns that are safe to apply, in order; null stays null (the field is unset). */
  static List<String> safeArns(List<String> patterns) {
    return patterns == null ? null : patterns.stream().filter(p -> unsafeArn(p).isEmpty()).toList();
  }

  static List<String> safeNames(List<String> patterns) {
    return patterns == null
        ? null
        : patterns.stream().filter(p -> unsafeName(p).isEmpty()).toList();
  }

  /** Why an ARN pattern's {@code ${namespace}} does not keep namespaces apart, if it does not. */
  static Optional<String> unsafeArn(String pattern) {
    if (!pattern.contains(NAMESPACE)) {
      return Optional.empty();
    }
    var segments = pattern.split(":", ARN_SEGMENTS);
    if (segments.length < ARN_SEGMENTS) {
      return Optional.of("not an ARN pattern, so ${namespace} cannot be placed safely");
    }
    int resourceStart = pattern.length() - segments[ARN_SEGMENTS - 1].length();
    if (pattern.substring(0, resourceStart).contains(NAMESPACE)) {
      return Optional.of("${namespace} may only appear in the resource part of the ARN");
    }
    return unsafeIn(pattern, resourceStart);
  }

  /** The same for a secret or parameter name pattern, which is all "resource part". */
  static Optional<String> unsafeName(String pattern) {
    if (!pattern.contains(NAMESPACE)) {
      return Optional.empty();
    }
    return unsafeIn(pattern, pattern.startsWith("/") ? 1 : 0);
  }

  private static Optional<String> unsafeIn(String pattern, int nameStart) {
    int at = pattern.indexOf(NAMESPACE);
    while (at >= 0) {
      boolean anchored = at == nameStart || "/:".indexOf(pattern.charAt(at - 1)) >= 0;
      if (!anchored) {
        return Optional.of(
            "${namespace} must start the name or follow ':' or '/', or two namespaces may share a"
                + " name");
      }
      var before = pattern.substring(nameStart, at);
      if (before.contains("*") || before.contains("?")) {
        return Optional.of("a wildcard before ${namespace} lets any prefix stand in front of it");
      }
      int after = at + NAMESPACE.length();
      if (after < pattern.length() && !separates(pattern.charAt(after))) {
        return Optional.of(
            "${namespace} must be followed by the end or by a character no namespace name can"
                + " hold (such as '.', '_' or '/'), not '"
                + pattern.charAt(after)
                + "': namespace team would reach team-payments' names");
      }
      at = pattern.indexOf(NAMESPACE, after);
    }
    return Optional.empty();
  }

  /** Not a letter, digit or '-' (what namespace names are made of), nor a wildcard or '$'. */
  private static boolean separates(char c) {
    return !Character.isLetterOrDigit(c) && "-*?$".indexOf(c) < 0;
  }

  private static Optional<String> unknown(String pattern) {
    return ActionCatalogue.bundled().expand(pattern).isEmpty()
        ? Optional.of("matches no action of AWS's action catalogue (" + catalogueName() + ")")
        : Optional.empty();
  }

  /**
   * A CIDR block the schema of an earlier version let through, which the guardrails cannot read.
   */
  private static Optional<String> unreadable(String cidr, String consequence) {
    return CidrBlock.parse(cidr).isEmpty()
        ? Optional.of("not a CIDR block the operator can read: " + consequence)
        : Optional.empty();
  }

  private static String catalogueName() {
    return ActionCatalogue.bundled().source();
  }

  private static void check(
      String field,
      List<String> patterns,
      Function<String, Optional<String>> rule,
      List<Problem> problems) {
    if (patterns == null) {
      return;
    }
    for (int i = 0; i < patterns.size(); i++) {
      var pattern = patterns.get(i);
      int index = i;
      rule.apply(pattern)
          .ifPresent(why -> problems.add(new Problem(field + "[" + index + "]", pattern, why)));
    }
  }
}
