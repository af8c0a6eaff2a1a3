package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.IamSpec;
import io.secureworkload.operator.api.PolicyStatement;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One policy's IAM rules: actions, resources, managed policies, session duration, Retain. Deny
 * statements only take permissions away, so they are exempt from every rule here.
 */
final class IamRules {

  static final FieldPath IAM = FieldPath.of("spec", "iam");
  static final FieldPath STATEMENTS = IAM.child("statements");

  private IamRules() {}

  static void check(
      SecureWorkloadSpec spec, PolicyRules policy, Placeholders placeholders, Findings findings) {
    var iam = spec.getIam();
    if (iam == null) {
      return;
    }
    checkActions(spec, policy, findings);
    checkResources(spec, policy, placeholders, findings);
    checkManagedPolicies(iam, policy, placeholders, findings);
    int session =
        Optional.ofNullable(iam.getMaxSessionDurationSeconds())
            .orElse(IamSpec.DEFAULT_MAX_SESSION_DURATION_SECONDS);
    if (session > policy.maxSessionDurationSeconds()) {
      findings.add(
          IAM.child("maxSessionDurationSeconds"),
          String.valueOf(session),
          Rule.SESSION_DURATION_NOT_ALLOWED,
          "at most " + policy.maxSessionDurationSeconds() + " seconds are allowed",
          policy);
    }
    if (iam.getDeletionPolicy() == IamSpec.DeletionPolicy.Retain && !policy.allowRetain()) {
      findings.add(
          IAM.child("deletionPolicy"),
          "Retain",
          Rule.RETAIN_NOT_ALLOWED,
          "roles are deleted with their SecureWorkload here; Retain is not allowed",
          policy);
    }
  }

  /** Calls back with every action of every Allow statement and its field path. */
  static void forEachAllowAction(
      SecureWorkloadSpec spec, BiConsumer<FieldPath, ActionPattern> consumer) {
    forEachAllowStatement(
        spec,
        (field, statement) -> {
          var actions = Optional.ofNullable(statement.getActions()).orElse(List.of());
          for (int k = 0; k < actions.size(); k++) {
            consumer.accept(field.child("actions").index(k), ActionPattern.of(actions.get(k)));
          }
        });
  }

  static void forEachAllowStatement(
      SecureWorkloadSpec spec, BiConsumer<FieldPath, PolicyStatement> consumer) {
    var statements =
        spec.getIam() == null || spec.getIam().getStatements() == null
            ? List.<PolicyStatement>of()
            : spec.getIam().getStatements();
    for (int i = 0; i < statements.size(); i++) {
      if (statements.get(i).getEffect() != PolicyStatement.Effect.Deny) {
        consumer.accept(STATEMENTS.index(i), statements.get(i));
      }
    }
  }

  private static void checkActions(SecureWorkloadSpec spec, PolicyRules policy, Findings findings) {
    var denied = policy.deniedActions().stream().map(ActionPattern::of).toList();
    var allowed =
        policy.allowedActions() == null
            ? null
            : policy.allowedActions().stream().map(ActionPattern::of).toList();
    forEachAllowAction(
        spec,
        (field, action) -> {
          denied.stream()
              .filter(d -> d.overlaps(action))
              .findFirst()
              .ifPresent(
                  d ->
                      findings.add(
                          field,
                          action.text(),
                          Rule.ACTION_DENIED,
                          "may grant " + d.text() + ", which the policy denies",
                          policy));
          if (allowed != null && allowed.stream().noneMatch(a -> a.contains(action))) {
            findings.add(
                field,
                action.text(),
                Rule.ACTION_NOT_ALLOWED,
                "not within the allowed actions " + policy.allowedActions(),
                policy);
          }
        });
  }

  private static void checkResources(
      SecureWorkloadSpec spec, PolicyRules policy, Placeholders placeholders, Findings findings) {
    var wildcardActions = policy.wildcardResourceActions().stream().map(ActionPattern::of).toList();
    forEachAllowStatement(
        spec,
        (field, statement) -> {
          var resources = Optional.ofNullable(statement.getResources()).orElse(List.of());
          for (int k = 0; k < resources.size(); k++) {
            var resourceField = field.child("resources").index(k);
            if ("*".equals(resources.get(k))) {
              var writers =
                  Optional.ofNullable(statement.getActions()).orElse(List.of()).stream()
                      .filter(
                          a ->
                              wildcardActions.stream()
                                  .noneMatch(w -> w.contains(ActionPattern.of(a))))
                      .toList();
              if (!writers.isEmpty()) {
                findings.add(
                    resourceField,
                    "*",
                    Rule.WILDCARD_RESOURCE,
                    "Resource \"*\" is allowed only for "
                        + policy.wildcardResourceActions()
                        + ", not for "
                        + writers
                        + "; name the ARNs",
                    policy);
              }
            } else {
              ResourceRules.checkArn(
                  resourceField,
                  resources.get(k),
                  policy.allowedResources(),
                  Rule.RESOURCE_NOT_ALLOWED,
                  policy,
                  placeholders,
                  findings);
            }
          }
        });
  }

  private static void checkManagedPolicies(
      IamSpec iam, PolicyRules policy, Placeholders placeholders, Findings findings) {
    var arns = Optional.ofNullable(iam.getManagedPolicyArns()).orElse(List.of());
    for (int k = 0; k < arns.size(); k++) {
      var arn = arns.get(k);
      boolean allowed =
          policy.allowedManagedPolicyArns().stream()
              .map(pattern -> ArnPattern.parse(pattern, placeholders))
              .flatMap(Optional::stream)
              .anyMatch(pattern -> pattern.matches(arn));
      if (!allowed) {
        findings.add(
            IAM.child("managedPolicyArns").index(k),
            arn,
            Rule.MANAGED_POLICY_NOT_ALLOWED,
            policy.allowedManagedPolicyArns().isEmpty()
                ? "no managed policy may be attached here"
                : "not among the allowed managed policies " + policy.allowedManagedPolicyArns(),
            policy);
      }
    }
  }
}
