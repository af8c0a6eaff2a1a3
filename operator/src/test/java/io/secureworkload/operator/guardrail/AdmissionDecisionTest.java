package io.secureworkload.operator.guardrail;

import static io.secureworkload.operator.guardrail.Guardrails.ACCOUNT;
import static io.secureworkload.operator.guardrail.Guardrails.OBJECTS;
import static io.secureworkload.operator.guardrail.Guardrails.QUEUE;
import static io.secureworkload.operator.guardrail.Guardrails.context;
import static io.secureworkload.operator.guardrail.Guardrails.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.secureworkload.operator.api.NetworkPeer;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.api.SecureWorkloadSpec;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The admission decision as a table: a workload that exists as a looser policy let it, then every
 * kind of tightening, each alone and with every kind of violation that narrowing cannot mend. The
 * tightening always reaches what is written, and nothing else changes.
 */
class AdmissionDecisionTest {

  private static final String MANAGED_READ = "arn:aws:iam::" + ACCOUNT + ":policy/payments-read";
  private static final String MANAGED_WRITE = "arn:aws:iam::" + ACCOUNT + ":policy/payments-write";
  private static final String LOOSE_BOUNDARY = "arn:aws:iam::" + ACCOUNT + ":policy/loose";
  private static final String STRICT_BOUNDARY = "arn:aws:iam::" + ACCOUNT + ":policy/strict";
  private static final String GROUP_A = "sg-0123456789abcdef0";
  private static final String GROUP_B = "sg-0123456789abcdef1";
  private static final String FALLBACK_GROUP = "sg-00000000000000000";

  private static final String SPEC =
      """
      iam:
        statements:
        - actions: ['sqs:SendMessage']
          resources: ['%s']
        - actions: ['s3:GetObject']
          resources: ['%s']
        managedPolicyArns: ['%s', '%s']
        maxSessionDurationSeconds: 7200
        deletionPolicy: Retain
      secrets:
        objects:
        - name: payments/db
          type: secretsmanager
        - name: payments/api-key
          type: secretsmanager
      securityGroups:
        groupIds: ['%s', '%s']
      network:
        egress:
        - to:
          - ipBlock: {cidr: 10.0.0.0/16}
          - ipBlock: {cidr: 10.1.0.0/16}
          ports: [{port: 443}]
      """
          .formatted(QUEUE, OBJECTS, MANAGED_READ, MANAGED_WRITE, GROUP_A, GROUP_B);

  /** What the platform allowed when the workload was made. */
  private static final String LOOSE =
      """
      iam:
        allowedActions: ['sqs:SendMessage', 's3:GetObject', 'secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']
        allowedManagedPolicyArns: ['arn:aws:iam::${account}:policy/payments-*']
        permissionsBoundaryArn: %s
        maxSessionDurationSeconds: 43200
        allowRetain: true
      secrets:
        allowedNames: ['${namespace}/*']
      securityGroups:
        allowedGroupIds: ['sg-0123456789abcdef*']
      network:
        allowedCidrs: [10.0.0.0/8]
      """
          .formatted(LOOSE_BOUNDARY);

  /**
   * One tightening: the policy's YAML after it, and what the decision must then show on the role
   * and on the children.
   */
  record Tightening(
      String name,
      String policyYaml,
      Consumer<AdmissionDecision> onRole,
      Consumer<SecureWorkloadSpec> onChildren) {
    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A violation no narrowing mends, and how to cause it: the context, YAML added to the policy,
   * another policy beside it, and a change to the spec.
   */
  record Unmendable(
      String name,
      Rule rule,
      GuardrailContext context,
      String extraPolicy,
      List<SecureWorkloadPolicy> besides,
      UnaryOperator<String> specChange) {

    Unmendable(String name, Rule rule, GuardrailContext context, String extraPolicy) {
      this(name, rule, context, extraPolicy, List.of(), UnaryOperator.identity());
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Tightening> tightenings() {
    Consumer<SecureWorkloadSpec> noChild = spec -> {};
    Consumer<AdmissionDecision> noRole = decision -> {};
    return List.of(
        new Tightening(
            "denied action",
            LOOSE.replace(
                "allowedActions:", "deniedActions: ['sqs:SendMessage']\n  allowedActions:"),
            d -> assertThat(d.inlinePolicy()).doesNotContain("sqs:SendMessage").contains(OBJECTS),
            noChild),
        new Tightening(
            "withdrawn managed policy",
            LOOSE.replace("'arn:aws:iam::${account}:policy/payments-*'", "'" + MANAGED_READ + "'"),
            d -> assertThat(d.spec().getIam().getManagedPolicyArns()).containsExactly(MANAGED_READ),
            noChild),
        new Tightening(
            "stricter boundary",
            LOOSE.replace(LOOSE_BOUNDARY, STRICT_BOUNDARY),
            d -> assertThat(d.permissionsBoundaryArn()).isEqualTo(STRICT_BOUNDARY),
            noChild),
        new Tightening(
            "shorter sessions",
            LOOSE.replace("maxSessionDurationSeconds: 43200", "maxSessionDurationSeconds: 3600"),
            d -> assertThat(d.spec().getIam().getMaxSessionDurationSeconds()).isIn(null, 3600),
            noChild),
        new Tightening(
            "Retain withdrawn",
            LOOSE.replace("allowRetain: true", "allowRetain: false"),
            noRole,
            spec -> assertThat(spec.getIam().getDeletionPolicy()).hasToString("Delete")),
        new Tightening(
            "revoked secret",
            LOOSE.replace("'${namespace}/*'", "'${namespace}/db'"),
            d -> assertThat(d.inlinePolicy()).contains("payments/db").doesNotContain("api-key"),
            spec ->
                assertThat(spec.getSecrets().getObjects())
                    .extracting(o -> o.getName())
                    .containsExactly("payments/db")),
        new Tightening(
            "revoked security group",
            LOOSE.replace("'sg-0123456789abcdef*'", "'" + GROUP_A + "'"),
            noRole,
            spec -> assertThat(spec.getSecurityGroups().getGroupIds()).containsExactly(GROUP_A)),
        new Tightening(
            "revoked CIDR",
            LOOSE.replace("[10.0.0.0/8]", "[10.0.0.0/16]"),
            noRole,
            spec -> assertThat(peers(spec)).containsExactly("10.0.0.0/16")));
  }

  static List<Unmendable> unmendables() {
    var longName = "r".repeat(70);
    return List.of(
        new Unmendable(
            "too many workloads",
            Rule.TOO_MANY_WORKLOADS,
            context().toBuilder().positionInNamespace(2).build(),
            "limits: {maxWorkloadsPerNamespace: 1}\n"),
        new Unmendable(
            "role name too long",
            Rule.ROLE_NAME_TOO_LONG,
            context().toBuilder().roleName(longName).build(),
            ""),
        new Unmendable(
            "a boundary conflict",
            Rule.PERMISSIONS_BOUNDARY_CONFLICT,
            context(),
            "",
            List.of(
                policy(
                    "other",
                    """
                    iam:
                      allowedActions: ['*']
                      allowedResources: ['*']
                      allowedManagedPolicyArns: ['arn:aws:iam::*:policy/*']
                      permissionsBoundaryArn: arn:aws:iam::111122223333:policy/another
                      maxSessionDurationSeconds: 43200
                      allowRetain: true
                    secrets: {allowedNames: ['*']}
                    securityGroups: {allowedGroupIds: ['*']}
                    """)),
            UnaryOperator.identity()),
        new Unmendable(
            "an inline policy over IAM's size limit",
            Rule.INLINE_POLICY_TOO_LARGE,
            context(),
            "",
            List.of(),
            spec ->
                spec.replace(
                    "  managedPolicyArns:", oversizedStatement() + "  managedPolicyArns:")),
        new Unmendable("nothing unmendable", null, context(), ""));
  }

  /** One allowed statement whose objects alone take IAM's 10,240 characters. */
  private static String oversizedStatement() {
    var resources = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      resources.append(i == 0 ? "" : ", ").append("'").append(OBJECTS, 0, OBJECTS.length() - 1);
      resources.append("reports/2026/quarter-").append(i).append("/*'");
    }
    return "  - actions: ['s3:GetObject']\n    resources: [" + resources + "]\n";
  }

  static Stream<Arguments> everyTighteningWithEveryUnmendableViolation() {
    var cases = new ArrayList<Arguments>();
    for (var unmendable : unmendables()) {
      for (var tightening : tightenings()) {
        cases.add(Arguments.of(unmendable, tightening));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{1} reaches the role and children with {0}")
  @MethodSource("everyTighteningWithEveryUnmendableViolation")
  void aTighteningReachesWhatExistsWhateverElseIsWrong(
      Unmendable unmendable, Tightening tightening) {
    var existing = existingAsWritten(SPEC);
    var decision =
        decide(
            SPEC,
            unmendable,
            existing,
            policy("platform", tightening.policyYaml() + unmendable.extraPolicy()));

    if (unmendable.rule() != null) {
      assertThat(decision.verdict().enforced()).anyMatch(v -> v.rule() == unmendable.rule());
    }
    assertThat(decision.roleRefused()).isFalse();
    if (unmendable.rule() == Rule.PERMISSIONS_BOUNDARY_CONFLICT
        && tightening.name().equals("stricter boundary")) {
      // Never picked between two boundaries: the role keeps the one it has.
      assertThat(decision.permissionsBoundaryArn()).isEqualTo(LOOSE_BOUNDARY);
    } else {
      tightening.onRole().accept(decision);
    }
    tightening.onChildren().accept(decision.spec());
    assertNothingWidened(decision, existing);
  }

  @ParameterizedTest(name = "{1} reaches the children of a workload without a role, with {0}")
  @MethodSource("everyTighteningWithEveryUnmendableViolation")
  void aWorkloadWithoutARoleGetsNoneAndItsChildrenAreTightened(
      Unmendable unmendable, Tightening tightening) {
    var written = existingAsWritten(SPEC);
    var withoutRole =
        new ExistingState(
            null,
            written.secretObjects(),
            written.syncedSecrets(),
            written.securityGroupIds(),
            written.serviceAccountName(),
            written.podSelector(),
            written.ingress(),
            written.egress(),
            true,
            true);
    var decision =
        decide(
            SPEC,
            unmendable,
            withoutRole,
            policy("platform", tightening.policyYaml() + unmendable.extraPolicy()));

    if (!decision.blocks()) {
      // A new boundary alone breaks no rule: the role is made, under the stricter boundary.
      assertThat(decision.permissionsBoundaryArn()).isEqualTo(STRICT_BOUNDARY);
      return;
    }
    assertThat(decision.roleRefused()).isTrue();
    assertThat(decision.inlinePolicy()).isNull();
    assertNothingWidened(decision, withoutRole);
    tightening.onChildren().accept(decision.spec());
  }

  @Test
  void whatTheTenantAddedWaitsUntilTheViolationIsFixed() {
    var existing = existingAsWritten(SPEC);
    var grown =
        SPEC.replace(
                "managedPolicyArns:",
                "- actions: ['sqs:ReceiveMessage']\n    resources: ['"
                    + QUEUE
                    + "']\n  managedPolicyArns:")
            .replace(
                "- name: payments/db\n",
                "- name: payments/db\n    type: secretsmanager\n  - name: payments/new\n")
            .replace(
                "ipBlock: {cidr: 10.1.0.0/16}",
                "ipBlock: {cidr: 10.1.0.0/16}\n    - ipBlock: {cidr: 10.2.0.0/16}");
    var policy =
        policy(
            "platform",
            LOOSE.replace("'sqs:SendMessage',", "'sqs:SendMessage', 'sqs:ReceiveMessage',")
                + "limits: {maxWorkloadsPerNamespace: 1}\n");
    var decision = decide(grown, unmendables().get(0), existing, policy);

    assertThat(decision.inlinePolicy())
        .doesNotContain("sqs:ReceiveMessage")
        .doesNotContain("payments/new");
    assertThat(decision.spec().getSecrets().getObjects())
        .extracting(o -> o.getName())
        .doesNotContain("payments/new");
    assertThat(peers(decision.spec())).doesNotContain("10.2.0.0/16");
    assertNothingWidened(decision, existing);
  }

  @Test
  void aServiceAccountRenameWaitsSoThatTheRoleTrustsTheOneThatExists() {
    var existing = existingAsWritten(SPEC);
    var renamed = "serviceAccount: {name: other}\n" + SPEC;
    var decision =
        decide(
            renamed,
            unmendables().get(0),
            existing,
            policy("platform", LOOSE + "limits: {maxWorkloadsPerNamespace: 1}\n"));

    assertThat(decision.spec().getServiceAccount().getName()).isEqualTo("api");
  }

  @Test
  void theLastRefusedSecurityGroupIsReplacedByTheFallbackGroup() {
    var existing = existingAsWritten(SPEC);
    var revoked =
        LOOSE.replace(
            "allowedGroupIds: ['sg-0123456789abcdef*']",
            "allowedGroupIds: ['sg-0fff*']\n  fallbackGroupId: " + FALLBACK_GROUP);
    var decision =
        decide(
            SPEC,
            unmendables().get(0),
            existing,
            policy("platform", revoked + "limits: {maxWorkloadsPerNamespace: 1}\n"));

    assertThat(decision.spec().getSecurityGroups().getGroupIds()).containsExactly(FALLBACK_GROUP);
    assertThat(decision.keptRefusedGroups()).isEmpty();
  }

  @Test
  void withoutAFallbackTheLastRefusedGroupsStayAndAreNamed() {
    var existing = existingAsWritten(SPEC);
    var revoked = LOOSE.replace("'sg-0123456789abcdef*'", "'sg-0fff*'");
    var decision = decide(SPEC, unmendables().get(2), existing, policy("platform", revoked));

    assertThat(decision.spec().getSecurityGroups().getGroupIds()).containsExactly(GROUP_A, GROUP_B);
    assertThat(decision.keptRefusedGroups()).containsExactly(GROUP_A, GROUP_B);
    assertThat(decision.verdict().enforced())
        .anyMatch(v -> v.rule() == Rule.SECURITY_GROUP_NOT_ALLOWED);
  }

  @Test
  void aRuleThatLosesItsLastPeerGoesAndIsolationStays() {
    var existing = existingAsWritten(SPEC);
    var decision =
        decide(
            SPEC,
            unmendables().get(0),
            existing,
            policy(
                "platform",
                LOOSE.replace("[10.0.0.0/8]", "[192.168.0.0/16]")
                    + "limits: {maxWorkloadsPerNamespace: 1}\n"));

    assertThat(decision.spec().getNetwork().getEgress()).isNull();
    assertThat(decision.spec().getNetwork().getDefaultDeny().getEgress()).isTrue();
    assertThat(decision.spec().getNetwork().getDefaultDeny().getIngress()).isTrue();
  }

  @Test
  void isolationThatExistsStaysWhenTheTenantSwitchesItOffWhileBlocked() {
    var existing = existingAsWritten(SPEC);
    var open =
        SPEC.replace("network:\n", "network:\n  defaultDeny: {ingress: false, egress: false}\n");
    var decision =
        decide(
            open,
            unmendables().get(0),
            existing,
            policy("platform", LOOSE + "limits: {maxWorkloadsPerNamespace: 1}\n"));

    assertThat(decision.spec().getNetwork().getDefaultDeny().getIngress()).isTrue();
    assertThat(decision.spec().getNetwork().getDefaultDeny().getEgress()).isTrue();
  }

  @Test
  void aBoundaryConflictKeepsTheBoundaryTheRoleHas() {
    var existing = existingAsWritten(SPEC);
    var other =
        policy(
            "other",
            "iam:\n  permissionsBoundaryArn: "
                + STRICT_BOUNDARY
                + "\n  allowedActions: ['*']\n  allowedResources: ['*']\n");
    var decision =
        AdmissionDecision.decide(
            TestWorkloads.withSpec(SPEC),
            EffectivePolicy.combine(
                List.of(policy("platform", LOOSE), other), DefaultGuardrails.policy()),
            context(),
            null,
            () -> existing);

    assertThat(decision.verdict().enforced())
        .anyMatch(v -> v.rule() == Rule.PERMISSIONS_BOUNDARY_CONFLICT);
    assertThat(decision.permissionsBoundaryArn()).isEqualTo(LOOSE_BOUNDARY);
    assertNothingWidened(decision, existing);
  }

  @Test
  void aCompliantSpecIsWrittenAsItIsAndNothingExistingIsRead() {
    var decision =
        AdmissionDecision.decide(
            TestWorkloads.withSpec(SPEC),
            EffectivePolicy.combine(List.of(policy("platform", LOOSE)), DefaultGuardrails.policy()),
            context(),
            null,
            () -> {
              throw new AssertionError("what exists is read only while a violation remains");
            });

    assertThat(decision.blocks()).isFalse();
    assertThat(decision.spec().getIam().getStatements()).hasSize(2);
    assertThat(decision.permissionsBoundaryArn()).isEqualTo(LOOSE_BOUNDARY);
  }

  @Test
  void anAuditPolicyLayersOnTheDefaultAndNeverLiftsItsRefusals() {
    var trial =
        policy(
            "trial",
            "mode: Audit\niam:\n  allowedActions: ['*']\n  allowedResources: ['*']\n"
                + "  allowEscalationActions: ['iam:PassRole']\n");
    var governing =
        PolicySelection.governing(List.of(trial), "payments", Map.of(), DefaultGuardrails.policy());
    var spec =
        "iam:\n  statements:\n  - actions: ['ec2:RunInstances', 'iam:PassRole']\n"
            + "    resources: ['*']\n";

    var decision =
        AdmissionDecision.decide(
            TestWorkloads.withSpec(spec),
            EffectivePolicy.of(governing),
            context(),
            null,
            ExistingState::nothing);

    assertThat(governing).extracting(p -> p.getMetadata().getName()).contains("trial", "default");
    assertThat(decision.verdict().enforced())
        .extracting(Violation::rule)
        .contains(Rule.ACTION_NOT_ALLOWED, Rule.ESCALATION_ACTION);
    assertThat(decision.roleRefused()).isTrue();
    assertThat(decision.inlinePolicy()).isNull();
  }

  private static AdmissionDecision decide(
      String spec, Unmendable unmendable, ExistingState existing, SecureWorkloadPolicy policy) {
    var policies = new ArrayList<SecureWorkloadPolicy>(List.of(policy));
    policies.addAll(unmendable.besides());
    return AdmissionDecision.decide(
        TestWorkloads.withSpec(unmendable.specChange().apply(spec)),
        EffectivePolicy.combine(policies, DefaultGuardrails.policy()),
        unmendable.context(),
        null,
        () -> existing);
  }

  /** What the operator wrote for this spec under the loose policy, as it would read it back. */
  private static ExistingState existingAsWritten(String spec) {
    var decision =
        AdmissionDecision.decide(
            TestWorkloads.withSpec(spec),
            EffectivePolicy.combine(List.of(policy("platform", LOOSE)), DefaultGuardrails.policy()),
            context(),
            null,
            ExistingState::nothing);
    assertThat(decision.verdict().violations()).as("the loose policy admits the spec").isEmpty();
    var written = decision.spec();
    return new ExistingState(
        new ExistingState.Role(
            decision.inlinePolicy(),
            Set.copyOf(written.getIam().getManagedPolicyArns()),
            decision.permissionsBoundaryArn(),
            written.getIam().getMaxSessionDurationSeconds()),
        written.getSecrets().getObjects(),
        null,
        written.getSecurityGroups().getGroupIds(),
        "api",
        written.getSelector().getMatchLabels(),
        null,
        written.getNetwork().getEgress(),
        true,
        true);
  }

  /** Every permission of the decision is one the workload already had. */
  private static void assertNothingWidened(AdmissionDecision decision, ExistingState existing) {
    var spec = decision.spec();
    if (existing.role() != null) {
      assertThat(statementsOf(decision.inlinePolicy()))
          .isSubsetOf(statementsOf(existing.role().inlinePolicy()));
      if (spec.getIam().getManagedPolicyArns() != null) {
        assertThat(existing.role().managedPolicyArns())
            .containsAll(spec.getIam().getManagedPolicyArns());
      }
    }
    if (spec.getSecrets() != null) {
      assertThat(existing.secretObjects()).containsAll(spec.getSecrets().getObjects());
    }
    if (spec.getSecurityGroups() != null && decision.keptRefusedGroups().isEmpty()) {
      var allowed = new HashSet<>(existing.securityGroupIds());
      allowed.add(FALLBACK_GROUP);
      assertThat(allowed).containsAll(spec.getSecurityGroups().getGroupIds());
    }
    assertThat(peers(spec))
        .allMatch(
            cidr ->
                existing.egress().stream()
                    .flatMap(r -> r.getTo().stream())
                    .anyMatch(
                        p -> p.getIpBlock() != null && cidr.equals(p.getIpBlock().getCidr())));
  }

  private static List<String> peers(SecureWorkloadSpec spec) {
    if (spec.getNetwork() == null || spec.getNetwork().getEgress() == null) {
      return List.of();
    }
    return spec.getNetwork().getEgress().stream()
        .flatMap(r -> r.getTo().stream())
        .map(NetworkPeer::getIpBlock)
        .map(NetworkPeer.IpBlock::getCidr)
        .toList();
  }

  /** Each Allow statement's (action, resource) pairs, lower-cased actions. */
  private static Set<List<String>> statementsOf(String document) {
    var pairs = new HashSet<List<String>>();
    if (document == null) {
      return pairs;
    }
    var root =
        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
            document, com.fasterxml.jackson.databind.JsonNode.class);
    for (var statement : root.get("Statement")) {
      if (!"Allow".equals(statement.path("Effect").asText())) {
        continue;
      }
      for (var action : list(statement.get("Action"))) {
        for (var resource : list(statement.get("Resource"))) {
          pairs.add(List.of(action.toLowerCase(java.util.Locale.ROOT), resource));
        }
      }
    }
    return pairs;
  }

  private static List<String> list(com.fasterxml.jackson.databind.JsonNode node) {
    var values = new ArrayList<String>();
    if (node.isArray()) {
      node.forEach(v -> values.add(v.asText()));
    } else {
      values.add(node.asText());
    }
    return values;
  }
}
