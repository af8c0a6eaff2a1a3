package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import java.util.Optional;

/**
 * Decides whether a SecureWorkload stays within its guardrails: a pure function of the workload,
 * the policies that govern its namespace and a few facts about the cluster. It calls nothing,
 * changes nothing and never throws for a bad spec; the reconciler turns the {@link Verdict} into
 * conditions and an Event.
 */
public final class GuardrailEvaluator {

  private GuardrailEvaluator() {}

  public static Verdict evaluate(
      SecureWorkload workload, EffectivePolicy policy, GuardrailContext context) {
    return evaluate(workload, policy, context, ActionCatalogue.bundled());
  }

  static Verdict evaluate(
      SecureWorkload workload,
      EffectivePolicy policy,
      GuardrailContext context,
      ActionCatalogue catalogue) {
    var spec = Optional.ofNullable(workload.getSpec()).orElseGet(SecureWorkloadSpec::new);
    var placeholders = context.placeholders();
    var findings = new Findings();
    var arns = new TenantArns();

    IamRules.checkCatalogued(spec, policy.escalationOptOuts(), catalogue, findings);
    NetworkRules.checkFloor(spec, findings);
    PassedOnValues.check(spec, findings);
    TenantConditions.check(spec, findings);
    IdentityRules.check(spec, policy, context, findings);
    for (var rules : policy.rules()) {
      IamRules.check(spec, rules, placeholders, catalogue, arns, findings);
      SecretRules.check(spec, rules, placeholders, catalogue, findings);
      NetworkRules.check(spec, rules, findings);
      if (context.positionInNamespace() > rules.maxWorkloadsPerNamespace()) {
        findings.add(
            FieldPath.of("metadata", "namespace"),
            context.namespace(),
            Rule.TOO_MANY_WORKLOADS,
            "this is SecureWorkload number "
                + context.positionInNamespace()
                + " of the namespace; at most "
                + rules.maxWorkloadsPerNamespace()
                + " are allowed",
            rules);
      }
    }
    checkBoundaries(policy, placeholders, findings);
    checkAccounts(policy, findings);
    // IAM measures what is sent: the spec without what the other violations take out, its
    // actions expanded and the operator's conditions added. A statement refused anyway (a "*"
    // expanding to every action) must not make the size a violation no narrowing can mend.
    var enforced = findings.list().stream().filter(Violation::enforced).toList();
    var sent = enforced.isEmpty() ? spec : SpecNarrowing.narrow(spec, enforced).spec();
    var inlinePolicy = WrittenPolicy.inlinePolicy(sent, policy, context, catalogue, arns);
    IamLimits.check(spec, inlinePolicy, context, findings);
    return new Verdict(findings.list(), spec, inlinePolicy);
  }

  /**
   * Never resolved by picking one: a role made in the wrong account would hand the namespace to
   * whoever runs that account.
   */
  private static void checkAccounts(EffectivePolicy policy, Findings findings) {
    if (policy.accountConflict()) {
      var accounts = policy.accounts();
      var names = String.join(", ", accounts.keySet());
      var described =
          accounts.values().stream()
              .map(a -> a.getId() + " (" + a.getRoleArn() + ")")
              .distinct()
              .collect(java.util.stream.Collectors.joining(", "));
      findings.addAlwaysEnforced(
          FieldPath.of("spec", "iam"),
          described,
          Rule.ACCOUNT_CONFLICT,
          "the policies "
              + names
              + " name different AWS accounts for this namespace's roles ("
              + described
              + "); the platform team must make them agree",
          names);
    }
  }

  /** Never resolved by picking one: either could be the one the platform team meant. */
  private static void checkBoundaries(
      EffectivePolicy policy, Placeholders placeholders, Findings findings) {
    var boundaries = policy.permissionsBoundaries(placeholders);
    if (boundaries.values().stream().distinct().count() > 1) {
      var names = String.join(", ", boundaries.keySet());
      findings.addAlwaysEnforced(
          FieldPath.of("spec", "iam"),
          String.join(", ", boundaries.values()),
          Rule.PERMISSIONS_BOUNDARY_CONFLICT,
          "the policies "
              + names
              + " name different permissions boundaries for this namespace; the platform team"
              + " must make them agree",
          names);
    }
  }
}
