package io.secureworkload.operator.guardrail;

import static io.secureworkload.operator.guardrail.Guardrails.BUCKET;
import static io.secureworkload.operator.guardrail.Guardrails.OBJECTS;
import static io.secureworkload.operator.guardrail.Guardrails.QUEUE;
import static io.secureworkload.operator.guardrail.Guardrails.TABLE;
import static io.secureworkload.operator.guardrail.Guardrails.allow;
import static io.secureworkload.operator.guardrail.Guardrails.evaluate;
import static io.secureworkload.operator.guardrail.Guardrails.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.secureworkload.operator.api.SecureWorkloadPolicy;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule: the field path, the value, and the policy that holds it. */
class GuardrailEvaluatorTest {

  private static final SecureWorkloadPolicy NONE = null;

  static Stream<Arguments> violations() {
    return Stream.of(
        arguments(
            "escalation floor, even where a policy allows the action",
            policy("team", "iam: {allowedActions: ['s3:GetObject', 'iam:*']}"),
            allow(OBJECTS, "s3:GetObject", "iam:*"),
            Rule.ESCALATION_ACTION,
            "spec.iam.statements[0].actions[1]",
            "iam:*",
            "default"),
        arguments(
            "escalation floor, by access level Permissions management",
            policy("team", "iam: {allowedActions: ['sqs:*']}"),
            allow(QUEUE, "sqs:RemovePermission"),
            Rule.ESCALATION_ACTION,
            "spec.iam.statements[0].actions[0]",
            "sqs:RemovePermission",
            "default"),
        arguments(
            "denied action, by a wildcard that grants it",
            policy("team", "iam: {allowedActions: ['sqs:*'], deniedActions: [sqs:DeleteQueue]}"),
            allow(QUEUE, "sqs:Delete*"),
            Rule.ACTION_DENIED,
            "spec.iam.statements[0].actions[0]",
            "sqs:Delete*",
            "team"),
        arguments(
            "action outside the allow-list",
            policy("team", "iam: {allowedActions: ['s3:Get*']}"),
            allow(OBJECTS, "s3:GetObject", "dynamodb:GetItem"),
            Rule.ACTION_NOT_ALLOWED,
            "spec.iam.statements[0].actions[1]",
            "dynamodb:GetItem",
            "team"),
        arguments(
            "unknown action",
            NONE,
            allow(QUEUE, "sqs:SendMessage", "sqs:SendMesage"),
            Rule.UNKNOWN_ACTION,
            "spec.iam.statements[0].actions[1]",
            "sqs:SendMesage",
            "default"),
        // Decided on the expansion, not the spelling: the wildcard also grants GetParameterHistory.
        arguments(
            "a wildcard that grants one action outside the allow-list",
            NONE,
            allow("arn:aws:ssm:eu-west-1:111122223333:parameter/payments/*", "ssm:GetParameter*"),
            Rule.ACTION_NOT_ALLOWED,
            "spec.iam.statements[0].actions[0]",
            "ssm:GetParameter*",
            "default"),
        arguments(
            "Resource * for a write action",
            NONE,
            allow("*", "sqs:SendMessage"),
            Rule.WILDCARD_RESOURCE,
            "spec.iam.statements[0].resources[0]",
            "*",
            "default"),
        arguments(
            "Resource * for s3:ListBucket, which would list every bucket",
            NONE,
            allow("*", "s3:ListBucket"),
            Rule.WILDCARD_RESOURCE,
            "spec.iam.statements[0].resources[0]",
            "*",
            "default"),
        // No built-in *:Describe* exemption any more: some ec2:Describe* actions take resources.
        arguments(
            "Resource * for a Describe wildcard that grants actions with resources",
            policy("team", "iam: {allowedActions: ['ec2:Describe*']}"),
            allow("*", "ec2:Describe*"),
            Rule.WILDCARD_RESOURCE,
            "spec.iam.statements[0].resources[0]",
            "*",
            "team"),
        arguments(
            "resource of no type the actions act on: objects need bucket/key",
            NONE,
            allow(BUCKET, "s3:GetObject"),
            Rule.RESOURCE_TYPE_MISMATCH,
            "spec.iam.statements[0].resources[0]",
            BUCKET,
            "default"),
        arguments(
            "KMS alias ARN, which grants no key action",
            NONE,
            allow("arn:aws:kms:eu-west-1:111122223333:alias/payments/db", "kms:Decrypt"),
            Rule.RESOURCE_TYPE_MISMATCH,
            "spec.iam.statements[0].resources[0]",
            "arn:aws:kms:eu-west-1:111122223333:alias/payments/db",
            "default"),
        arguments(
            "resource outside the allowed ARNs",
            policy("team", "iam: {allowedResources: ['arn:${partition}:s3:::${namespace}.*']}"),
            allow("arn:aws:s3:::billing.data/*", "s3:GetObject"),
            Rule.RESOURCE_NOT_ALLOWED,
            "spec.iam.statements[0].resources[0]",
            "arn:aws:s3:::billing.data/*",
            "team"),
        arguments(
            "another namespace's queue, under the default",
            NONE,
            allow("arn:aws:sqs:eu-west-1:111122223333:orders", "sqs:SendMessage"),
            Rule.RESOURCE_NOT_ALLOWED,
            "spec.iam.statements[0].resources[0]",
            "arn:aws:sqs:eu-west-1:111122223333:orders",
            "default"),
        arguments(
            "a bucket of namespace payments-x, whose name only starts like ours",
            NONE,
            allow("arn:aws:s3:::payments-x.data/*", "s3:GetObject"),
            Rule.RESOURCE_NOT_ALLOWED,
            "spec.iam.statements[0].resources[0]",
            "arn:aws:s3:::payments-x.data/*",
            "default"),
        arguments(
            "a wildcard service, which may reach secrets, parameters or keys",
            NONE,
            allow("arn:aws:*:eu-west-1:111122223333:secret:*", "secretsmanager:GetSecretValue"),
            Rule.RESOURCE_NOT_ALLOWED,
            "spec.iam.statements[0].resources[0]",
            "arn:aws:*:eu-west-1:111122223333:secret:*",
            "default"),
        arguments(
            "secret of another namespace, through a statement",
            NONE,
            allow(
                "arn:aws:secretsmanager:eu-west-1:111122223333:secret:billing/db-??????",
                "secretsmanager:GetSecretValue"),
            Rule.SECRET_NOT_ALLOWED,
            "spec.iam.statements[0].resources[0]",
            "arn:aws:secretsmanager:eu-west-1:111122223333:secret:billing/db-??????",
            "default"),
        arguments(
            "parameter of another namespace, through a statement",
            NONE,
            allow("arn:aws:ssm:eu-west-1:111122223333:parameter/billing/url", "ssm:GetParameter"),
            Rule.SECRET_NOT_ALLOWED,
            "spec.iam.statements[0].resources[0]",
            "arn:aws:ssm:eu-west-1:111122223333:parameter/billing/url",
            "default"),
        // Held to allowedNames whatever the policy's allowedResources say, as secrets are.
        arguments(
            "every parameter of the account, by an ARN that does not spell out parameter/",
            policy("platform", "iam: {allowedResources: ['arn:${partition}:ssm:*:${account}:*']}"),
            allow("arn:aws:ssm:eu-west-1:111122223333:*", "ssm:GetParameter"),
            Rule.SECRET_NOT_ALLOWED,
            "spec.iam.statements[0].resources[0]",
            "arn:aws:ssm:eu-west-1:111122223333:*",
            "platform"),
        arguments(
            "another namespace's objects in a shared bucket",
            policy(
                "team", "iam: {allowedResources: ['arn:${partition}:s3:::shared/${namespace}/*']}"),
            allow("arn:aws:s3:::shared/orders/*", "s3:GetObject"),
            Rule.RESOURCE_NOT_ALLOWED,
            "spec.iam.statements[0].resources[0]",
            "arn:aws:s3:::shared/orders/*",
            "team"),
        arguments(
            "every KMS key and alias of the account, through a statement",
            NONE,
            allow("arn:aws:kms:eu-west-1:111122223333:*", "kms:Decrypt"),
            Rule.KMS_KEY_NOT_ALLOWED,
            "spec.iam.statements[0].resources[0]",
            "arn:aws:kms:eu-west-1:111122223333:*",
            "default"),
        arguments(
            "resource in another account",
            NONE,
            allow("arn:aws:sqs:eu-west-1:444455556666:payments_jobs", "sqs:SendMessage"),
            Rule.FOREIGN_ACCOUNT,
            "spec.iam.statements[0].resources[0]",
            "arn:aws:sqs:eu-west-1:444455556666:payments_jobs",
            "default"),
        arguments(
            "resource in any account",
            NONE,
            allow("arn:aws:sqs:eu-west-1:*:payments_jobs", "sqs:SendMessage"),
            Rule.FOREIGN_ACCOUNT,
            "spec.iam.statements[0].resources[0]",
            "arn:aws:sqs:eu-west-1:*:payments_jobs",
            "default"),
        arguments(
            "IAM policy variable",
            NONE,
            allow("arn:aws:s3:::payments.home/${aws:username}/*", "s3:GetObject"),
            Rule.POLICY_VARIABLE,
            "spec.iam.statements[0].resources[0]",
            "arn:aws:s3:::payments.home/${aws:username}/*",
            "default"),
        arguments(
            "resource that is no ARN",
            NONE,
            allow("arn:aws:s3", "s3:GetObject"),
            Rule.INVALID_VALUE,
            "spec.iam.statements[0].resources[0]",
            "arn:aws:s3",
            "default"),
        arguments(
            "AWS managed policy",
            NONE,
            "iam: {managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess']}",
            Rule.MANAGED_POLICY_NOT_ALLOWED,
            "spec.iam.managedPolicyArns[0]",
            "arn:aws:iam::aws:policy/AdministratorAccess",
            "default"),
        arguments(
            "session longer than allowed",
            NONE,
            "iam: {maxSessionDurationSeconds: 7200}",
            Rule.SESSION_DURATION_NOT_ALLOWED,
            "spec.iam.maxSessionDurationSeconds",
            "7200",
            "default"),
        arguments(
            "Retain",
            NONE,
            "iam: {deletionPolicy: Retain}",
            Rule.RETAIN_NOT_ALLOWED,
            "spec.iam.deletionPolicy",
            "Retain",
            "default"),
        arguments(
            "secret of another namespace",
            NONE,
            "secrets: {objects: [{name: payments/db, type: secretsmanager},"
                + " {name: billing/db, type: secretsmanager}]}",
            Rule.SECRET_NOT_ALLOWED,
            "spec.secrets.objects[1].name",
            "billing/db",
            "default"),
        arguments(
            "secret by ARN in another account",
            NONE,
            "secrets: {objects: [{name: 'arn:aws:secretsmanager:eu-west-1:444455556666:secret:payments/db-AbCdEf',"
                + " type: secretsmanager, alias: db}]}",
            Rule.FOREIGN_ACCOUNT,
            "spec.secrets.objects[0].name",
            "arn:aws:secretsmanager:eu-west-1:444455556666:secret:payments/db-AbCdEf",
            "default"),
        arguments(
            "KMS key in another account",
            NONE,
            "secrets: {objects: [{name: payments/db, type: secretsmanager}],"
                + " kmsKeyArns: ['arn:aws:kms:eu-west-1:444455556666:key/k1']}",
            Rule.FOREIGN_ACCOUNT,
            "spec.secrets.kmsKeyArns[0]",
            "arn:aws:kms:eu-west-1:444455556666:key/k1",
            "default"),
        // A key the policy does not list is admitted, reached only through an alias under the
        // namespace (see compliant()); what is refused is a KMS ARN that names no key.
        arguments(
            "KMS alias where a key is expected",
            NONE,
            "secrets: {objects: [{name: payments/db, type: secretsmanager}],"
                + " kmsKeyArns: ['arn:aws:kms:eu-west-1:111122223333:alias/payments/db']}",
            Rule.KMS_KEY_NOT_ALLOWED,
            "spec.secrets.kmsKeyArns[0]",
            "arn:aws:kms:eu-west-1:111122223333:alias/payments/db",
            "default"),
        arguments(
            "Secrets Manager's suffix after a plain name",
            policy("team", "secrets: {allowedNames: [payments/db]}"),
            "secrets: {objects: [{name: payments/db-backup, type: secretsmanager}]}",
            Rule.SECRET_NOT_ALLOWED,
            "spec.secrets.objects[0].name",
            "payments/db-backup",
            "team"),
        arguments(
            "sync to Kubernetes Secrets",
            policy("team", "secrets: {allowSyncToSecrets: false}"),
            "secrets: {objects: [{name: payments/db, type: secretsmanager, alias: db}],"
                + " syncToSecrets: [{secretName: db, data: [{key: password, objectAlias: db}]}]}",
            Rule.SYNC_TO_SECRETS_NOT_ALLOWED,
            "spec.secrets.syncToSecrets",
            "1 Secret(s)",
            "team"),
        arguments(
            "security group",
            NONE,
            "securityGroups: {groupIds: [sg-0a1b2c3d4e5f67890]}",
            Rule.SECURITY_GROUP_NOT_ALLOWED,
            "spec.securityGroups.groupIds[0]",
            "sg-0a1b2c3d4e5f67890",
            "default"),
        arguments(
            "egress to the instance metadata address",
            NONE,
            "network: {egress: [{to: [{ipBlock: {cidr: 169.254.169.254/32}}]}]}",
            Rule.CIDR_DENIED,
            "spec.network.egress[0].to[0].ipBlock.cidr",
            "169.254.169.254/32",
            "default"),
        arguments(
            "egress to everything, metadata included",
            NONE,
            "network: {egress: [{to: [{podSelector: {matchLabels: {app: db}}},"
                + " {ipBlock: {cidr: 0.0.0.0/0}}]}]}",
            Rule.CIDR_DENIED,
            "spec.network.egress[0].to[1].ipBlock.cidr",
            "0.0.0.0/0",
            "default"),
        arguments(
            "egress to all of IPv6, the metadata address included",
            NONE,
            "network: {egress: [{to: [{ipBlock: {cidr: '::/0'}}]}]}",
            Rule.CIDR_DENIED,
            "spec.network.egress[0].to[0].ipBlock.cidr",
            "::/0",
            "default"),
        arguments(
            "a CIDR the policy denies",
            policy("team", "network: {deniedCidrs: [10.0.0.0/8]}"),
            "network: {ingress: [{from: [{ipBlock: {cidr: 10.20.0.0/16}}]}]}",
            Rule.CIDR_DENIED,
            "spec.network.ingress[0].from[0].ipBlock.cidr",
            "10.20.0.0/16",
            "team"),
        arguments(
            "a CIDR outside the allowed ones",
            policy("team", "network: {allowedCidrs: [10.0.0.0/16]}"),
            "network: {ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/20}}, {ipBlock: {cidr: 10.1.0.0/20}}]}]}",
            Rule.CIDR_NOT_ALLOWED,
            "spec.network.ingress[0].from[1].ipBlock.cidr",
            "10.1.0.0/20",
            "team"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void eachRuleNamesFieldValueAndPolicy(
      String description,
      SecureWorkloadPolicy policy,
      String workloadSpec,
      Rule rule,
      String field,
      String badValue,
      String policyName) {
    var verdict = policy == null ? evaluate(workloadSpec) : evaluate(workloadSpec, policy);

    assertThat(verdict.violations())
        .as("%s", verdict.violations())
        .singleElement()
        .satisfies(
            violation -> {
              assertThat(violation.rule()).isEqualTo(rule);
              assertThat(violation.field()).hasToString(field);
              assertThat(violation.badValue()).isEqualTo(badValue);
              assertThat(violation.policy()).isEqualTo(policyName);
              assertThat(violation.enforced()).isTrue();
            });
    assertThat(verdict.blocks()).isTrue();
  }

  static Stream<Arguments> compliant() {
    return Stream.of(
        arguments("nothing asked", NONE, ""),
        arguments(
            "objects of a bucket of its namespace",
            NONE,
            allow(OBJECTS, "s3:GetObject", "s3:PutObject")),
        arguments("listing a bucket of its namespace", NONE, allow(BUCKET, "s3:ListBucket")),
        arguments("a queue of its namespace", NONE, allow(QUEUE, "sqs:SendMessage")),
        arguments(
            "a table of its namespace, and its indexes",
            NONE,
            allow(TABLE + "*", "dynamodb:Query", "dynamodb:PutItem")),
        arguments("an action that takes no resource", NONE, allow("*", "cloudwatch:PutMetricData")),
        arguments(
            "any key of its account, reached through an alias under the namespace",
            NONE,
            allow("arn:aws:kms:eu-west-1:111122223333:key/*", "kms:Decrypt")),
        arguments(
            "secrets and parameters of its namespace, through statements",
            NONE,
            "iam:\n  statements:\n"
                + "  - actions: [secretsmanager:GetSecretValue]\n"
                + "    resources: ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:payments/*']\n"
                + "  - actions: [ssm:GetParameter, ssm:GetParametersByPath]\n"
                + "    resources: ['arn:aws:ssm:eu-west-1:111122223333:parameter/payments/*']\n"),
        arguments(
            "the namespace's prefix of a shared bucket",
            policy(
                "team", "iam: {allowedResources: ['arn:${partition}:s3:::shared/${namespace}/*']}"),
            allow("arn:aws:s3:::shared", "s3:ListBucket")
                + "  - actions: [s3:GetObject]\n"
                + "    resources: ['arn:aws:s3:::shared/payments/*']\n"),
        // Neither is a data-plane action: a policy must allow them first.
        arguments(
            "actions without resources on Resource *, where allowed",
            policy(
                "team", "iam: {allowedActions: ['s3:ListAllMyBuckets', 'ec2:DescribeInstances']}"),
            allow("*", "s3:ListAllMyBuckets", "ec2:DescribeInstances")),
        arguments(
            "an action with resources that the policy lets use Resource *",
            policy("team", "iam: {wildcardResourceActions: ['sqs:GetQueue*']}"),
            allow("*", "sqs:GetQueueUrl")),
        arguments(
            "a Deny statement may name anything",
            NONE,
            "iam:\n  statements:\n  - effect: Deny\n    actions: ['iam:*', 's3:*']\n    resources: ['*']\n"),
        arguments(
            "a resource within the allowed ARNs, beyond the default's",
            policy("team", "iam: {allowedResources: ['arn:${partition}:s3:::legacy-payments/*']}"),
            allow("arn:aws:s3:::legacy-payments/reports/*", "s3:GetObject")),
        arguments(
            "an allowed managed policy",
            policy(
                "team",
                "iam: {allowedManagedPolicyArns: ['arn:${partition}:iam::${account}:policy/payments-*']}"),
            "iam: {managedPolicyArns: ['arn:aws:iam::111122223333:policy/payments-read']}"),
        arguments(
            "Retain where allowed",
            policy("team", "iam: {allowRetain: true}"),
            "iam: {deletionPolicy: Retain}"),
        arguments(
            "secrets and parameters of its namespace",
            NONE,
            "secrets: {objects: [{name: payments/db, type: secretsmanager},"
                + " {name: /payments/url, type: ssmparameter},"
                + " {name: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:payments/api-AbCdEf',"
                + " type: secretsmanager, alias: api}],"
                + " kmsKeyArns: ['arn:aws:kms:eu-west-1:111122223333:key/k1']}"),
        arguments(
            "Secrets Manager's suffix on a name taken from a full ARN",
            policy("team", "secrets: {allowedNames: [payments/db]}"),
            "secrets: {objects: [{name: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:payments/db-AbCdEf',"
                + " type: secretsmanager, alias: db}]}"),
        arguments(
            "an allowed security group",
            policy("team", "securityGroups: {allowedGroupIds: ['sg-0a1b*']}"),
            "securityGroups: {groupIds: [sg-0a1b2c3d4e5f67890]}"),
        arguments(
            "everything but link-local, the metadata cut out",
            NONE,
            "network: {egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.0.0/16]}}]}]}"),
        arguments(
            "a block inside the allowed ones, minus an except outside them",
            policy("team", "network: {allowedCidrs: [10.0.0.0/17, 10.0.128.0/18]}"),
            "network: {egress: [{to: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.192.0/18]}}]}]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("compliant")
  void compliantSpecsPass(String description, SecureWorkloadPolicy policy, String workloadSpec) {
    var verdict = policy == null ? evaluate(workloadSpec) : evaluate(workloadSpec, policy);

    assertThat(verdict.violations()).isEmpty();
    assertThat(verdict.compliant()).isTrue();
    assertThat(verdict.blocks()).isFalse();
  }

  @Test
  void tooManyWorkloadsRefusesTheNewerOnesOnly() {
    var team = policy("team", "limits: {maxWorkloadsPerNamespace: 3}");
    var third = Guardrails.context().toBuilder().positionInNamespace(3).build();
    var fourth = Guardrails.context().toBuilder().positionInNamespace(4).build();

    assertThat(evaluate("", third, team).violations()).isEmpty();
    assertThat(evaluate("", fourth, team).violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo(Rule.TOO_MANY_WORKLOADS);
              assertThat(v.field()).hasToString("metadata.namespace");
              assertThat(v.policy()).isEqualTo("team");
              assertThat(v.detail()).contains("number 4", "at most 3");
            });
  }

  @Test
  void everyBrokenRuleIsReportedNotJustTheFirst() {
    var verdict =
        evaluate(
            allow("*", "iam:PassRole", "s3:PutObject")
                + "  managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess']\n"
                + "  deletionPolicy: Retain\n");

    assertThat(verdict.violations())
        .extracting(v -> v.rule() + " " + v.field())
        .containsExactlyInAnyOrder(
            "ESCALATION_ACTION spec.iam.statements[0].actions[0]",
            "ACTION_NOT_ALLOWED spec.iam.statements[0].actions[0]",
            "WILDCARD_RESOURCE spec.iam.statements[0].resources[0]",
            "MANAGED_POLICY_NOT_ALLOWED spec.iam.managedPolicyArns[0]",
            "RETAIN_NOT_ALLOWED spec.iam.deletionPolicy");
  }

  @Test
  void anUnsafePolicyPatternMatchesNothingAndTheRestOfThePolicyApplies() {
    var team =
        policy(
            "team",
            "iam: {allowedResources: ['arn:${partition}:s3:::${namespace}-*',"
                + " 'arn:${partition}:sqs:*:${account}:${namespace}_*']}");

    assertThat(PolicyPatterns.problems(team))
        .extracting(PolicyPatterns.Problem::field, PolicyPatterns.Problem::pattern)
        .containsExactly(
            tuple("spec.iam.allowedResources[0]", "arn:${partition}:s3:::${namespace}-*"));
    assertThat(evaluate(allow("arn:aws:s3:::payments-data/*", "s3:GetObject"), team).violations())
        .extracting(Violation::rule, Violation::policy)
        .containsExactly(tuple(Rule.RESOURCE_NOT_ALLOWED, "team"));
    assertThat(evaluate(allow(QUEUE, "sqs:SendMessage"), team).violations()).isEmpty();
  }

  @Test
  void theMessageNamesFieldValueRuleAndPolicy() {
    var violations =
        evaluate(allow("arn:aws:iam::111122223333:role/payments_worker", "iam:PassRole"))
            .violations();

    assertThat(violations)
        .filteredOn(v -> v.rule() == Rule.ESCALATION_ACTION)
        .singleElement()
        .extracting(Violation::message)
        .isEqualTo(
            "spec.iam.statements[0].actions[0]: \"iam:PassRole\": grants iam:PassRole, which the"
                + " built-in escalation floor denies [policy default]");
  }

  @Test
  void theMessageOfAForeignArnNamesOnlyTheTenantsOwnValue() {
    var violation =
        evaluate(allow("arn:aws:sqs:eu-west-1:444455556666:jobs", "sqs:SendMessage"))
            .violations()
            .get(0);

    assertThat(violation.message()).doesNotContain(Guardrails.ACCOUNT);
  }

  @Test
  void mountingNamesTheFirstActionItTakesInTheOrderItTakesThemSoTheMessageNeverChanges() {
    var violation =
        evaluate(
                "secrets: {objects: [{name: payments/db, type: secretsmanager}]}",
                policy("team", "iam: {allowedActions: ['s3:*']}"))
            .violations()
            .get(0);

    assertThat(violation.detail())
        .isEqualTo(
            "mounting it takes secretsmanager:GetSecretValue, not within the policy's allowed"
                + " actions");
  }
}
