package io.secureworkload.operator.guardrail;

import io.secureworkload.operator.api.IamSpec;
import io.secureworkload.operator.api.PolicyStatement;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * One policy's IAM rules: actions, resources, managed policies, session duration, Retain. Actions
 * are decided on their expansion against AWS's action catalogue, never on the pattern as written.
 * Deny statements only take permissions away, so they are exempt from every rule here.
 */
final class IamRules {

  static final FieldPath IAM = FieldPath.of("spec", "iam");
  static final FieldPath STATEMENTS = IAM.child("statements");

  private IamRules() {}

  /**
   * @param arns the workload's ARNs, parsed once for the decision
   */
  static void check(
      SecureWorkloadSpec spec,
      PolicyRules policy,
      Placeholders placeholders,
      ActionCatalogue catalogue,
      TenantArns arns,
      Findings findings) {
    var iam = spec.getIam();
    if (iam == null) {
      return;
    }
    checkActions(spec, policy, catalogue, findings);
    checkResources(spec, policy, placeholders, catalogue, arns, findings);
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

  /**
   * The rules that do not depend on a policy: every action pattern must grant a catalogued action,
   * and none may reach the floor that not every policy opts out of.
   */
  static void checkCatalogued(
      SecureWorkloadSpec spec, Set<String> optOuts, ActionCatalogue catalogue, Findings findings) {
    forEachAllowAction(
        spec,
        (field, action) -> {
          var expansion = catalogue.expand(action);
          if (expansion.isEmpty()) {
            findings.addAlwaysEnforced(
                field,
                action,
                Rule.UNKNOWN_ACTION,
                "grants no action of AWS's action catalogue (" + catalogue.source() + ")",
                DefaultGuardrails.DEFAULT_POLICY_NAME);
          } else {
            EscalationFloor.check(field, action, expansion, optOuts, findings);
          }
        });
  }

  /** Calls back with every action of every Allow statement and its field path. */
  static void forEachAllowAction(SecureWorkloadSpec spec, BiConsumer<FieldPath, String> consumer) {
    forEachAllowStatement(
        spec,
        (field, statement) -> {
          var actions = Optional.ofNullable(statement.getActions()).orElse(List.of());
          for (int k = 0; k < actions.size(); k++) {
            consumer.accept(field.child("actions").index(k), actions.get(k));
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

  /**
   * Actions for a message, which names the first three and says how many more: only those three are
   * kept, since a wildcard can grant thousands.
   */
  static final class SomeActions {

    private final List<CatalogueAction> named = new ArrayList<>(3);
    private int count;

    void add(CatalogueAction action) {
      if (count++ < 3) {
        named.add(action);
      }
    }

    @Override
    public String toString() {
      var names = new ArrayList<String>(named.size());
      named.forEach(action -> names.add(action.fullName()));
      return String.join(", ", names) + (count > 3 ? " and " + (count - 3) + " more" : "");
    }
  }

  /** A few action names for a message: the first three and how many more. */
  static String some(List<String> actions) {
    var shown = String.join(", ", actions.subList(0, Math.min(3, actions.size())));
    return actions.size() > 3 ? shown + " and " + (actions.size() - 3) + " more" : shown;
  }

  private static void checkActions(
      SecureWorkloadSpec spec, PolicyRules policy, ActionCatalogue catalogue, Findings findings) {
    var denied = ActionSet.of(policy.deniedActions(), catalogue);
    var allowed = ActionSet.of(policy.allowedActions(), catalogue);
    forEachAllowAction(
        spec,
        (field, action) -> {
          var expansion = catalogue.expand(action);
          for (var granted : expansion) {
            if (denied.contains(granted)) {
              findings.add(
                  field,
                  action,
                  Rule.ACTION_DENIED,
                  "grants " + granted.fullName() + ", which the policy denies",
                  policy);
              break;
            }
          }
          SomeActions outside = null;
          for (var granted : expansion) {
            if (!allowed.contains(granted)) {
              if (outside == null) {
                outside = new SomeActions();
              }
              outside.add(granted);
            }
          }
          if (outside != null) {
            findings.add(
                field,
                action,
                Rule.ACTION_NOT_ALLOWED,
                "grants "
                    + outside
                    + ", not within the policy's allowed actions"
                    + (policy.allowedActions().size() <= 8 ? " " + policy.allowedActions() : ""),
                policy);
          }
        });
  }

  private static void checkResources(
      SecureWorkloadSpec spec,
      PolicyRules policy,
      Placeholders placeholders,
      ActionCatalogue catalogue,
      TenantArns arns,
      Findings findings) {
    var wildcardActions = ActionSet.of(policy.wildcardResourceActions(), catalogue);
    forEachAllowStatement(
        spec,
        (field, statement) -> {
          var grant =
              ActionSet.granted(
                  Optional.ofNullable(statement.getActions()).orElse(List.of()), catalogue);
          var granted = grant.actions();
          var resources = Optional.ofNullable(statement.getResources()).orElse(List.of());
          for (int k = 0; k < resources.size(); k++) {
            var resourceField = field.child("resources").index(k);
            if ("*".equals(resources.get(k))) {
              SomeActions scoped = null;
              for (var action : granted) {
                if (action.hasResourceLevelPermissions() && !wildcardActions.contains(action)) {
                  if (scoped == null) {
                    scoped = new SomeActions();
                  }
                  scoped.add(action);
                }
              }
              if (scoped != null) {
                findings.add(
                    resourceField,
                    "*",
                    Rule.WILDCARD_RESOURCE,
                    "Resource \"*\" is only for actions without resource-level permissions"
                        + (policy.wildcardResourceActions().isEmpty()
                            ? ""
                            : " and " + policy.wildcardResourceActions())
                        + ", not for "
                        + scoped
                        + "; name the ARNs",
                    policy);
              }
            } else {
              ResourceRules.admit(
                  resourceField, resources.get(k), grant, policy, placeholders, arns, findings);
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
