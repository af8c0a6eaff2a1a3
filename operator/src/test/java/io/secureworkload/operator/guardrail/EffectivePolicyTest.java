package io.secureworkload.operator.guardrail;

import static io.secureworkload.operator.guardrail.Guardrails.QUEUE;
import static io.secureworkload.operator.guardrail.Guardrails.allow;
import static io.secureworkload.operator.guardrail.Guardrails.effective;
import static io.secureworkload.operator.guardrail.Guardrails.evaluate;
import static io.secureworkload.operator.guardrail.Guardrails.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.secureworkload.operator.api.SecureWorkloadPolicySpec.Mode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several policies on one namespace: every one must hold, the most restrictive wins. */
class EffectivePolicyTest {

  private static final Placeholders PAYMENTS = Guardrails.context().placeholders();

  @Test
  void aNamespaceNoPolicySelectsGetsTheDefault() {
    var policy = EffectivePolicy.combine(List.of(), DefaultGuardrails.policy());

    assertThat(policy.policyNames()).containsExactly("default");
  }

  @Test
  void aSelectedNamespaceGetsItsPoliciesAndNotTheDefault() {
    assertThat(effective(policy("a", ""), policy("b", "")).policyNames()).containsExactly("a", "b");
  }

  @Test
  void anAuditTrialAloneDoesNotLiftTheDefaultsEnforcement() {
    var trial = policy("trial", "mode: Audit\niam: {allowedActions: ['sqs:Send*']}");

    var verdict =
        evaluate(
            allow(QUEUE, "sqs:ReceiveMessage")
                + "securityGroups: {groupIds: [sg-0123456789abcdef0]}",
            trial);

    assertThat(effective(trial).policyNames()).containsExactly("trial", "default");
    assertThat(verdict.blocks()).isTrue();
    assertThat(verdict.violations())
        .extracting(Violation::policy, Violation::mode)
        .containsExactlyInAnyOrder(tuple("trial", Mode.Audit), tuple("default", Mode.Enforce));
  }

  @Test
  void denyListsAddUp() {
    var a = policy("a", "iam: {allowedActions: ['sqs:*'], deniedActions: [sqs:DeleteQueue]}");
    var b = policy("b", "iam: {allowedActions: ['sqs:*'], deniedActions: ['sqs:Purge*']}");

    var violations =
        evaluate(allow(QUEUE, "sqs:DeleteQueue", "sqs:PurgeQueue", "sqs:SendMessage"), a, b)
            .violations();

    assertThat(violations)
        .extracting(Violation::rule, v -> v.field().toString(), Violation::policy)
        .containsExactly(
            tuple(Rule.ACTION_DENIED, "spec.iam.statements[0].actions[0]", "a"),
            tuple(Rule.ACTION_DENIED, "spec.iam.statements[0].actions[1]", "b"));
  }

  @Test
  void allowListsIntersect() {
    var a = policy("a", "iam: {allowedActions: ['sqs:*']}");
    var b = policy("b", "iam: {allowedActions: ['sqs:Send*', 'sqs:Receive*']}");

    var violations = evaluate(allow(QUEUE, "sqs:SendMessage", "sqs:DeleteMessage"), a, b);

    assertThat(violations.violations())
        .extracting(Violation::rule, v -> v.field().toString(), Violation::policy)
        .containsExactly(tuple(Rule.ACTION_NOT_ALLOWED, "spec.iam.statements[0].actions[1]", "b"));
  }

  @Test
  void aSwitchIsOnOnlyWhenEveryPolicyTurnsItOn() {
    var a = policy("a", "iam: {allowRetain: true}");
    var b = policy("b", "");

    assertThat(effective(a).allowRetain()).isTrue();
    assertThat(effective(a, b).allowRetain()).isFalse();
    assertThat(evaluate("iam: {deletionPolicy: Retain}", a, b).violations())
        .extracting(Violation::rule, Violation::policy)
        .containsExactly(tuple(Rule.RETAIN_NOT_ALLOWED, "b"));
  }

  @Test
  void theLeastLimitWins() {
    var a =
        policy(
            "a", "iam: {maxSessionDurationSeconds: 43200}\nlimits: {maxWorkloadsPerNamespace: 10}");
    var b =
        policy(
            "b", "iam: {maxSessionDurationSeconds: 7200}\nlimits: {maxWorkloadsPerNamespace: 3}");

    assertThat(effective(a, b).maxSessionDurationSeconds()).isEqualTo(7200);
    assertThat(effective(a, b).maxWorkloadsPerNamespace()).isEqualTo(3);
    assertThat(evaluate("iam: {maxSessionDurationSeconds: 10800}", a, b).violations())
        .extracting(Violation::rule, Violation::policy)
        .containsExactly(tuple(Rule.SESSION_DURATION_NOT_ALLOWED, "b"));
  }

  @Test
  void differentBoundariesAreAConflictNeverResolvedByPickingOne() {
    var a = policy("a", "iam: {permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/a'}");
    var b = policy("b", "iam: {permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/b'}");

    assertThat(effective(a, b).permissionsBoundaryArn(PAYMENTS)).isEmpty();
    assertThat(evaluate("", a, b).violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo(Rule.PERMISSIONS_BOUNDARY_CONFLICT);
              assertThat(v.field()).hasToString("spec.iam");
              assertThat(v.policy()).isEqualTo("a, b");
              assertThat(v.enforced()).isTrue();
            });
  }

  @Test
  void enforcedPoliciesNamingDifferentAccountsAreAConflictNeverResolvedByPickingOne() {
    var a = policy("a", account("222222222222", "arn:aws:iam::222222222222:role/operator"));
    var b = policy("b", account("333333333333", "arn:aws:iam::333333333333:role/operator"));

    assertThat(effective(a, b).account()).isEmpty();
    assertThat(effective(a, b).accountConflict()).isTrue();
    assertThat(evaluate("", a, b).violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo(Rule.ACCOUNT_CONFLICT);
              assertThat(v.field()).hasToString("spec.iam");
              assertThat(v.policy()).isEqualTo("a, b");
              assertThat(v.enforced()).isTrue();
              assertThat(v.message()).contains("222222222222").contains("333333333333");
            });
  }

  @Test
  void oneAccountReachedThroughTwoRolesIsAConflictToo() {
    var a = policy("a", account("222222222222", "arn:aws:iam::222222222222:role/operator"));
    var b = policy("b", account("222222222222", "arn:aws:iam::222222222222:role/other"));

    assertThat(effective(a, b).accountConflict()).isTrue();
    assertThat(evaluate("", a, b).violations())
        .extracting(Violation::rule)
        .containsExactly(Rule.ACCOUNT_CONFLICT);
  }

  @Test
  void anAuditPolicyNeverMovesRolesAndTheSameMappingTwiceIsNoConflict() {
    var a = policy("a", account("222222222222", "arn:aws:iam::222222222222:role/operator"));
    var same = policy("same", account("222222222222", "arn:aws:iam::222222222222:role/operator"));
    var audit =
        policy(
            "audit",
            "mode: Audit\n" + account("333333333333", "arn:aws:iam::333333333333:role/operator"));

    assertThat(effective(a, same, audit).accountConflict()).isFalse();
    assertThat(effective(a, same, audit).account())
        .hasValueSatisfying(m -> assertThat(m.getId()).isEqualTo("222222222222"));
    assertThat(effective(audit).account()).isEmpty();
    assertThat(evaluate("", a, same, audit).violations()).isEmpty();
  }

  private static String account(String id, String roleArn) {
    return "account: {id: '" + id + "', roleArn: '" + roleArn + "'}";
  }

  @Test
  void theSameBoundarySpelledTwoWaysIsNoConflict() {
    var a = policy("a", "iam: {permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/tenant'}");
    var b =
        policy(
            "b", "iam: {permissionsBoundaryArn: 'arn:${partition}:iam::${account}:policy/tenant'}");

    assertThat(effective(a, b).permissionsBoundaryArn(PAYMENTS))
        .contains("arn:aws:iam::111122223333:policy/tenant");
    assertThat(evaluate("", a, b).violations()).isEmpty();
  }

  @Test
  void anAuditPolicysBoundaryIsNotApplied() {
    var audit =
        policy(
            "trial",
            "mode: Audit\niam: {permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/b'}");
    var enforce =
        policy("team", "iam: {permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/a'}");

    assertThat(effective(audit, enforce).permissionsBoundaries(PAYMENTS))
        .isEqualTo(Map.of("team", "arn:aws:iam::111122223333:policy/a"));
    assertThat(evaluate("", audit, enforce).violations()).isEmpty();
  }

  @Test
  void auditReportsWithoutBlocking() {
    var trial = policy("trial", "mode: Audit\niam: {allowedActions: ['sqs:Send*']}");

    var verdict = evaluate(allow(QUEUE, "sqs:ReceiveMessage"), trial);

    assertThat(verdict.compliant()).isFalse();
    assertThat(verdict.blocks()).isFalse();
    assertThat(verdict.mode()).isEqualTo(Mode.Audit);
    assertThat(verdict.enforced()).isEmpty();
    assertThat(verdict.audited())
        .extracting(Violation::rule, Violation::policy, Violation::mode)
        .containsExactly(tuple(Rule.ACTION_NOT_ALLOWED, "trial", Mode.Audit));
    assertThat(verdict.narrowed().spec()).isEqualTo(verdict.spec());
  }

  @Test
  void whenAnEnforcedAndAnAuditedPolicyHoldTheSameRuleTheEnforcedOneIsReported() {
    var trial =
        policy(
            "trial",
            "mode: Audit\niam: {allowedActions: ['sqs:*'], deniedActions: ['sqs:Delete*']}");
    var team = policy("team", "iam: {allowedActions: ['sqs:*'], deniedActions: [sqs:DeleteQueue]}");

    var verdict = evaluate(allow(QUEUE, "sqs:DeleteQueue"), trial, team);

    assertThat(verdict.violations())
        .extracting(Violation::rule, Violation::policy, Violation::mode)
        .containsExactly(tuple(Rule.ACTION_DENIED, "team", Mode.Enforce));
    assertThat(verdict.mode()).isEqualTo(Mode.Enforce);
  }

  @Test
  void anUnsetFieldKeepsTheBuiltInDefault() {
    var bare = PolicyRules.of(policy("default", ""));
    var builtIn = PolicyRules.of(DefaultGuardrails.policy());

    assertThat(bare).isEqualTo(builtIn);
  }

  @Test
  void anUnsetAllowListIsTheDefaultsNeverAnything() {
    var rules = PolicyRules.of(policy("team", "iam: {deniedActions: ['sqs:Purge*']}"));

    assertThat(rules.allowedActions()).isEqualTo(DataPlaneActions.actions());
    assertThat(rules.allowedResources()).isEqualTo(NamespaceScopedResources.patterns());
    assertThat(rules.allowedKmsKeys()).isEmpty();
  }

  @Test
  void aPolicyThatSetsOnlyADenyListKeepsTheDefaultsAllowLists() {
    var team = policy("team", "iam: {deniedActions: ['sqs:Purge*']}");

    var verdict =
        evaluate(
            allow(QUEUE, "sqs:SendMessage", "sqs:DeleteQueue")
                + "  - actions: [sqs:SendMessage]\n"
                + "    resources: ['arn:aws:sqs:eu-west-1:111122223333:orders']\n",
            team);

    assertThat(verdict.violations())
        .extracting(Violation::rule, v -> v.field().toString(), Violation::policy)
        .containsExactly(
            tuple(Rule.ACTION_NOT_ALLOWED, "spec.iam.statements[0].actions[1]", "team"),
            tuple(Rule.RESOURCE_NOT_ALLOWED, "spec.iam.statements[1].resources[0]", "team"));
  }

  @Test
  void aWidenedAllowListIsStillExpandedAndFloored() {
    var team = policy("team", "iam: {allowedActions: ['sqs:*']}");

    assertThat(evaluate(allow(QUEUE, "sqs:*"), team).violations())
        .extracting(Violation::rule, Violation::policy)
        .containsExactly(tuple(Rule.ESCALATION_ACTION, "default"));
  }

  @Test
  void aWildcardLeavesTheFloorOnlyWhenEveryPolicyOptsOutOfEachOfItsFloorActions() {
    // The floor actions sqs:* grants: resource-policy writers and Permissions management.
    var optOuts =
        "[sqs:AddPermission, sqs:CreateQueue, sqs:RemovePermission, sqs:SetQueueAttributes]";
    var a =
        policy("a", "iam: {allowedActions: ['sqs:*'], allowEscalationActions: " + optOuts + "}");
    var b =
        policy("b", "iam: {allowedActions: ['sqs:*'], allowEscalationActions: " + optOuts + "}");
    var stingy =
        policy(
            "stingy",
            "iam: {allowedActions: ['sqs:*'], allowEscalationActions: [sqs:AddPermission,"
                + " sqs:CreateQueue, sqs:RemovePermission]}");

    assertThat(evaluate(allow(QUEUE, "sqs:*"), a, b).violations()).isEmpty();
    assertThat(evaluate(allow(QUEUE, "sqs:*"), a, stingy).violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo(Rule.ESCALATION_ACTION);
              assertThat(v.policy()).isEqualTo("default");
              assertThat(v.detail())
                  .isEqualTo(
                      "grants sqs:SetQueueAttributes, which the built-in escalation floor denies");
            });
  }
}
