package io.secureworkload.operator.guardrail;

import static io.secureworkload.operator.guardrail.Guardrails.OBJECTS;
import static io.secureworkload.operator.guardrail.Guardrails.QUEUE;
import static io.secureworkload.operator.guardrail.Guardrails.evaluate;
import static io.secureworkload.operator.guardrail.Guardrails.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.secureworkload.operator.api.IamSpec;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.testsupport.TestWorkloads;
import org.junit.jupiter.api.Test;

/** A stricter policy over an existing workload: take away what is refused, never add. */
class SpecNarrowingTest {

  @Test
  void aViolatingStatementGoesWholeAndTheOthersStay() {
    var verdict =
        evaluate(
            """
            iam:
              statements:
              - sid: Queue
                actions: [sqs:SendMessage]
                resources: ['%s']
              - sid: Escalate
                actions: [sqs:ReceiveMessage, iam:PassRole]
                resources: ['%s']
              - sid: NoDeletes
                effect: Deny
                actions: ['*']
                resources: ['*']
            """
                .formatted(QUEUE, QUEUE));

    var narrowed = verdict.narrowed();

    assertThat(narrowed.spec().getIam().getStatements())
        .extracting(s -> s.getSid())
        .containsExactly("Queue", "NoDeletes");
    assertThat(narrowed.removed())
        .extracting(Violation::rule, v -> v.field().toString())
        .containsExactlyInAnyOrder(
            tuple(Rule.ESCALATION_ACTION, "spec.iam.statements[1].actions[1]"),
            tuple(Rule.ACTION_NOT_ALLOWED, "spec.iam.statements[1].actions[1]"));
    assertThat(narrowed.unresolved()).isEmpty();
    assertThat(verdict.spec().getIam().getStatements()).as("the original is untouched").hasSize(3);
  }

  @Test
  void aStatementGoesWholeWhenOneOfItsResourcesOrActionsIsRefused() {
    var verdict =
        evaluate(
            """
            iam:
              statements:
              - sid: Own
                actions: [sqs:SendMessage, s3:GetObject]
                resources: ['%s', '%s']
              - sid: OtherQueue
                actions: [sqs:SendMessage]
                resources: ['%s', 'arn:aws:sqs:eu-west-1:111122223333:orders']
              - sid: OtherSecret
                actions: [secretsmanager:GetSecretValue]
                resources: ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:billing/*']
              - sid: Misspelt
                actions: [sqs:SendMessage, sqs:SendMesage]
                resources: ['%s']
              - sid: Everywhere
                actions: [s3:ListBucket]
                resources: ['*']
            """
                .formatted(QUEUE, OBJECTS, QUEUE, QUEUE));

    var narrowed = verdict.narrowed();

    assertThat(narrowed.spec().getIam().getStatements())
        .as("a statement is never rewritten, so it can only lose what it asked for")
        .extracting(s -> s.getSid())
        .containsExactly("Own");
    assertThat(narrowed.removed())
        .extracting(Violation::rule)
        .containsExactlyInAnyOrder(
            Rule.RESOURCE_NOT_ALLOWED,
            Rule.SECRET_NOT_ALLOWED,
            Rule.UNKNOWN_ACTION,
            Rule.WILDCARD_RESOURCE);
    assertThat(narrowed.unresolved()).isEmpty();
  }

  @Test
  void managedPoliciesAreDetachedOneByOne() {
    var team =
        policy(
            "team",
            "iam: {allowedManagedPolicyArns: ['arn:aws:iam::111122223333:policy/payments-*']}");
    var verdict =
        evaluate(
            "iam: {managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess',"
                + " 'arn:aws:iam::111122223333:policy/payments-read']}",
            team);

    assertThat(verdict.narrowed().spec().getIam().getManagedPolicyArns())
        .containsExactly("arn:aws:iam::111122223333:policy/payments-read");
  }

  @Test
  void scalarsFallToWhatEveryPolicyAllows() {
    var narrowed =
        evaluate("iam: {maxSessionDurationSeconds: 7200, deletionPolicy: Retain}").narrowed();

    assertThat(narrowed.spec().getIam().getMaxSessionDurationSeconds()).isNull();
    assertThat(narrowed.spec().getIam().getDeletionPolicy())
        .isEqualTo(IamSpec.DeletionPolicy.Delete);
  }

  @Test
  void aRefusedSecretGoesWithTheSyncedKeysItFed() {
    var narrowed =
        evaluate(
                """
                secrets:
                  objects:
                  - {name: payments/db, type: secretsmanager, alias: db}
                  - {name: billing/db, type: secretsmanager, alias: billing}
                  kmsKeyArns: ['arn:aws:kms:eu-west-1:444455556666:key/k1']
                  syncToSecrets:
                  - secretName: both
                    data: [{key: a, objectAlias: db}, {key: b, objectAlias: billing}]
                  - secretName: billing-only
                    data: [{key: b, objectAlias: billing}]
                """)
            .narrowed();

    var secrets = narrowed.spec().getSecrets();
    assertThat(secrets.getObjects()).extracting(o -> o.getName()).containsExactly("payments/db");
    assertThat(secrets.getKmsKeyArns()).isEmpty();
    assertThat(secrets.getSyncToSecrets())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getSecretName()).isEqualTo("both");
              assertThat(s.getData()).extracting(d -> d.getKey()).containsExactly("a");
            });
  }

  @Test
  void securityGroupsGoOneByOneButTheLastOnesStay() {
    var team = policy("team", "securityGroups: {allowedGroupIds: [sg-0a1b2c3d4e5f67890]}");

    var some =
        evaluate("securityGroups: {groupIds: [sg-0a1b2c3d4e5f67890, sg-0fffffffffffffff0]}", team);
    var none = evaluate("securityGroups: {groupIds: [sg-0fffffffffffffff0]}", team);

    assertThat(some.narrowed().spec().getSecurityGroups().getGroupIds())
        .containsExactly("sg-0a1b2c3d4e5f67890");
    assertThat(none.narrowed().spec().getSecurityGroups().getGroupIds())
        .as("without any group the pods would fall back to the node's groups")
        .containsExactly("sg-0fffffffffffffff0");
    assertThat(none.narrowed().unresolved())
        .extracting(Violation::rule)
        .containsExactly(Rule.SECURITY_GROUP_NOT_ALLOWED);
  }

  @Test
  void aNetworkRuleLosesItsRefusedPeerAndGoesWholeWhenNoneIsLeft() {
    var verdict =
        evaluate(
            """
            network:
              egress:
              - to:
                - podSelector: {matchLabels: {app: db}}
                - ipBlock: {cidr: 169.254.169.254/32}
              - to:
                - ipBlock: {cidr: 0.0.0.0/0}
                ports: [{port: 443}]
              ingress:
              - from:
                - ipBlock: {cidr: 10.0.0.0/16}
            """);

    var network = verdict.narrowed().spec().getNetwork();

    assertThat(network.getEgress())
        .as("a rule without peers would admit every destination")
        .singleElement()
        .satisfies(
            rule ->
                assertThat(rule.getTo())
                    .singleElement()
                    .satisfies(peer -> assertThat(peer.getPodSelector()).isNotNull()));
    assertThat(network.getIngress()).singleElement();
  }

  @Test
  void whatNarrowingCannotMendIsSaidSo() {
    var a = policy("a", "iam: {permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/a'}");
    var b =
        policy(
            "b",
            "iam: {permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/b'}\n"
                + "limits: {maxWorkloadsPerNamespace: 0}");

    var narrowed = evaluate("", a, b).narrowed();

    assertThat(narrowed.unresolved())
        .extracting(Violation::rule)
        .containsExactlyInAnyOrder(Rule.PERMISSIONS_BOUNDARY_CONFLICT, Rule.TOO_MANY_WORKLOADS);
  }

  @Test
  void theNarrowedSpecPassesTheSamePolicies() {
    var team =
        policy(
            "team",
            "network: {allowedCidrs: [10.0.0.0/8]}\n"
                + "securityGroups: {allowedGroupIds: [sg-0fffffffffffffff0]}");
    var workload =
        TestWorkloads.withSpec(
            """
            iam:
              statements:
              - actions: ['s3:*']
                resources: ['*']
              - actions: [sqs:SendMessage]
                resources: ['%s']
              managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess']
              deletionPolicy: Retain
            secrets:
              objects: [{name: other/db, type: secretsmanager}]
            securityGroups: {groupIds: [sg-0a1b2c3d4e5f67890, sg-0fffffffffffffff0]}
            network:
              ingress:
              - from: [{ipBlock: {cidr: 192.168.0.0/16}}, {ipBlock: {cidr: 10.1.0.0/16}}]
            """
                .formatted(QUEUE));
    var policy = Guardrails.effective(team);
    var verdict = GuardrailEvaluator.evaluate(workload, policy, Guardrails.context());

    var narrowed = new SecureWorkload();
    narrowed.setMetadata(workload.getMetadata());
    narrowed.setSpec(verdict.narrowed().spec());

    assertThat(verdict.narrowed().unresolved()).isEmpty();
    assertThat(GuardrailEvaluator.evaluate(narrowed, policy, Guardrails.context()).violations())
        .as(Serialization.asYaml(narrowed.getSpec()))
        .isEmpty();
    assertThat(narrowed.getSpec().getIam().getStatements()).hasSize(1);
  }
}
