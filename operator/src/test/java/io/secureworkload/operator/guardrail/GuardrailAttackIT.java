package io.secureworkload.operator.guardrail;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.junit.LocallyRunOperatorExtension;
import io.secureworkload.operator.api.IamSpec;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.api.SecureWorkloadPolicySpec;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.iam.TrustCut;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.testsupport.Crds;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.Namespaces;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.RoleTrust;
import io.secureworkload.operator.testsupport.TestNetworkPolicies;
import io.secureworkload.operator.testsupport.ThirdPartyCrds;
import io.secureworkload.operator.testsupport.WorkloadAssertions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * Hostile SecureWorkloads against the default guardrails (and a few policies), on a real API server
 * and moto. Each attack asserts the condition and its message, and that AWS was left alone: no
 * role, or the role's documents unchanged.
 */
class GuardrailAttackIT {

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();
  private static final OperatorTestEnvironment ENV = new OperatorTestEnvironment(MOTO.server());
  private static final Duration SETTLE = Duration.ofSeconds(2);

  @RegisterExtension final LocallyRunOperatorExtension operator = ENV.operatorExtension();

  private final IamClient iam = ENV.iamClient();
  private final KubernetesClient admin = KubeApiServer.get().newClient();
  private final List<String> policies = new ArrayList<>();
  private final List<String> namespaces = new ArrayList<>();
  private WorkloadAssertions workloads;

  /** The test's namespace is left to the default guardrails, with only a boundary added. */
  @BeforeEach
  void defaultGuardrailsWithABoundary() {
    workloads = new WorkloadAssertions(operator);
    ownGuardrails(operator.getNamespace());
    policy(
        """
        metadata: {name: %s}
        spec:
          namespaces: [%s]
          iam: {permissionsBoundaryArn: %s}
        """
            .formatted(
                "boundary-" + operator.getNamespace(),
                operator.getNamespace(),
                OperatorTestEnvironment.BOUNDARY));
  }

  @AfterEach
  void removePoliciesAndNamespaces() {
    policies.forEach(name -> admin.resources(SecureWorkloadPolicy.class).withName(name).delete());
    namespaces.forEach(name -> admin.namespaces().withName(name).delete());
  }

  static Stream<Arguments> attacks() {
    return Stream.of(
        attack("wildcard action", statement("'*'", "arn:aws:s3:::bucket/*"), actionPath()),
        attack("all of IAM", statement("iam:*", "arn:aws:s3:::bucket/*"), actionPath()),
        attack("upper case", statement("IAM:createuser", "*"), actionPath()),
        attack("prefix wildcard", statement("iam:Create*", "*"), actionPath()),
        attack("single-character wildcard", statement("iam:?reate*", "*"), actionPath()),
        attack("service wildcard", statement("'*:PassRole'", "*"), actionPath()),
        attack("sts", statement("sts:AssumeRole", "*"), actionPath()),
        attack(
            "wildcard resource on a write",
            statement("s3:PutObject", "*"),
            "spec.iam.statements[0].resources[0]"),
        attack(
            "another account's queue",
            statement("sqs:SendMessage", "arn:aws:sqs:us-west-2:999999999999:orders"),
            "spec.iam.statements[0].resources[0]"),
        attack(
            "a policy variable",
            statement("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*"),
            "spec.iam.statements[0].resources[0]"),
        attack(
            "an AWS managed policy",
            "iam: {managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess']}",
            "spec.iam.managedPolicyArns[0]"),
        attack(
            "another team's secret",
            "secrets: {objects: [{name: other-team/db, type: secretsmanager}]}",
            "spec.secrets.objects[0].name"),
        attack(
            "another account's secret",
            "secrets: {objects: [{name: 'arn:aws:secretsmanager:us-west-2:999999999999:secret:db-AbCdEf',"
                + " type: secretsmanager, alias: db}]}",
            "spec.secrets.objects[0].name"),
        attack(
            "another account's KMS key",
            "secrets:\n  objects: [{name: NS/db, type: secretsmanager}]\n  kmsKeyArns:"
                + " ['arn:aws:kms:us-west-2:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab']",
            "spec.secrets.kmsKeyArns[0]"),
        attack(
            "a security group",
            "securityGroups: {groupIds: [sg-0123456789abcdef0]}",
            "spec.securityGroups.groupIds[0]"),
        attack(
            "the instance metadata service",
            "network:\n  egress: [{to: [{ipBlock: {cidr: 169.254.169.254/32}}]}]",
            "spec.network.egress[0].to[0].ipBlock.cidr"),
        attack(
            "the pod identity agent",
            "network:\n  egress: [{to: [{ipBlock: {cidr: 169.254.0.0/16}}]}]",
            "spec.network.egress[0].to[0].ipBlock.cidr"),
        // Other spellings of the metadata address: whichever the schema does not refuse, the
        // guardrails read canonically.
        attack(
            "the instance metadata service as an IPv4-mapped address",
            "network:\n  egress: [{to: [{ipBlock: {cidr: '::ffff:169.254.169.254/128'}}]}]",
            "spec.network.egress[0].to[0].ipBlock.cidr"),
        attack(
            "the instance metadata service as a mapped address in hex",
            "network:\n  egress: [{to: [{ipBlock: {cidr: '::ffff:a9fe:a9fe/128'}}]}]",
            "spec.network.egress[0].to[0].ipBlock.cidr"),
        attack(
            "the instance metadata service in octal",
            "network:\n  egress: [{to: [{ipBlock: {cidr: 0251.0376.0251.0376/32}}]}]",
            "spec.network.egress[0].to[0].ipBlock.cidr"),
        attack(
            "the instance metadata service with host bits past a short prefix",
            "network:\n  egress: [{to: [{ipBlock: {cidr: 169.254.169.254/0}}]}]",
            "spec.network.egress[0].to[0].ipBlock.cidr"),
        attack(
            "the IPv6 metadata address in upper case and in full",
            "network:\n  ingress: [{from: [{ipBlock: {cidr: 'FD00:0EC2:0:0:0:0:0:0254/128'}}]}]",
            "spec.network.ingress[0].from[0].ipBlock.cidr"),
        // Values the operator passes on for other controllers to act on.
        attack(
            "a Secret the token controller fills with a ServiceAccount's token",
            "secrets:\n  objects: [{name: NS/db, type: secretsmanager}]\n  syncToSecrets:"
                + " [{secretName: token, type: kubernetes.io/service-account-token,"
                + " data: [{key: token, objectAlias: NS_db}]}]",
            "spec.secrets.syncToSecrets[0].type"),
        attack(
            "a Secret annotated for the token controller",
            "secrets:\n  objects: [{name: NS/db, type: secretsmanager}]\n  syncToSecrets:"
                + " [{secretName: token, annotations: {'kubernetes.io/service-account.name':"
                + " default}, data: [{key: token, objectAlias: NS_db}]}]",
            "spec.secrets.syncToSecrets[0].annotations"),
        // Conditions on the keys the operator sets: the schema cannot see these.
        attack(
            "the operator's key condition, in lower case under IfExists",
            "iam: {statements: [{actions: [kms:Decrypt], resources:"
                + " ['arn:aws:kms:us-west-2:123456789012:key/*'], conditions:"
                + " {StringLikeIfExists: {'kms:viaservice': ['*']}}}]}",
            "spec.iam.statements[0].conditions.StringLikeIfExists.kms:viaservice"),
        attack(
            "the operator's alias condition, under another qualifier",
            "iam: {statements: [{actions: [kms:Decrypt], resources:"
                + " ['arn:aws:kms:us-west-2:123456789012:key/*'], conditions:"
                + " {'ForAllValues:StringLike': {'KMS:ResourceAliases': ['*']}}}]}",
            "spec.iam.statements[0].conditions.ForAllValues:StringLike.KMS:ResourceAliases"),
        attack(
            "the operator's account condition, in upper case",
            "iam: {statements: [{actions: [s3:GetObject], resources: ['arn:aws:s3:::NS.b/*'],"
                + " conditions: {StringEquals: {'AWS:RESOURCEACCOUNT': ['999999999999']}}}]}",
            "spec.iam.statements[0].conditions.StringEquals.AWS:RESOURCEACCOUNT"),
        attack(
            "Retain",
            "iam:\n  statements: [{actions: [s3:GetObject], resources: ['arn:aws:s3:::NS.b/*']}]\n"
                + "  deletionPolicy: Retain",
            "spec.iam.deletionPolicy"),
        attack(
            "a session longer than allowed",
            "iam:\n  statements: [{actions: [s3:GetObject], resources: ['arn:aws:s3:::NS.b/*']}]\n"
                + "  maxSessionDurationSeconds: 43200",
            "spec.iam.maxSessionDurationSeconds"),
        // Closed by default: the door next to spec.secrets is held to the same allow-lists.
        attack(
            "another tenant's secret through a statement",
            statement(
                "secretsmanager:GetSecretValue",
                "arn:aws:secretsmanager:us-west-2:123456789012:secret:other-team/db-*"),
            resourcePath()),
        attack(
            "another tenant's parameter through a statement",
            statement(
                "ssm:GetParameter", "arn:aws:ssm:us-west-2:123456789012:parameter/other-team/db"),
            resourcePath()),
        attack(
            "a wildcard service that reaches secrets",
            statement("secretsmanager:GetSecretValue", "arn:aws:*:us-west-2:123456789012:secret:*"),
            resourcePath()),
        attack(
            "another tenant's key by its alias ARN",
            statement("kms:Decrypt", "arn:aws:kms:us-west-2:123456789012:alias/other-team/key"),
            resourcePath()),
        attack(
            "another tenant's queue in the same account",
            statement("sqs:SendMessage", "arn:aws:sqs:us-west-2:123456789012:orders"),
            resourcePath()),
        attack("listing every bucket", statement("s3:ListBucket", "*"), resourcePath()),
        attack(
            "a namespace's prefix followed by a dash",
            statement("s3:GetObject", "arn:aws:s3:::NS-payments.data/*"),
            resourcePath()),
        attack(
            "an action outside the data-plane allow-list",
            statement("dynamodb:DeleteTable", "arn:aws:dynamodb:us-west-2:123456789012:table/NS.t"),
            actionPath()),
        // Decided on the real actions a pattern grants, not on an enumeration.
        attack(
            "a wildcard that reaches a resource-policy writer",
            statement("s3:Put*", "arn:aws:s3:::NS.b"),
            actionPath()),
        attack(
            "a wildcard that starts compute",
            statement("ec2:Run*", "arn:aws:ec2:us-west-2:123456789012:instance/*"),
            actionPath()),
        attack(
            "an EKS access entry",
            statement("eks:CreateAccessEntry", "arn:aws:eks:us-west-2:123456789012:cluster/NS_c"),
            actionPath()),
        attack(
            "an EKS access policy, by wildcard",
            statement("eks:Associate*", "arn:aws:eks:us-west-2:123456789012:cluster/NS_c"),
            actionPath()),
        attack(
            "a queue's resource policy through a Write action",
            statement("sqs:SetQueueAttributes", "arn:aws:sqs:us-west-2:123456789012:NS_q"),
            actionPath()),
        attack(
            "sharing a snapshot",
            statement(
                "ec2:ModifySnapshotAttribute", "arn:aws:ec2:us-west-2::snapshot/snap-0123456789"),
            actionPath()),
        attack(
            "an action AWS does not have",
            statement("s3:GetObjekt", "arn:aws:s3:::NS.b/*"),
            actionPath()),
        attack(
            "an ARN of a type the action does not act on",
            statement("sqs:SendMessage", "arn:aws:s3:::NS.b/*"),
            resourcePath()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void isRefusedNamingTheFieldAndNothingIsCreatedInAws(String attack, String spec, String field) {
    try {
      create("hostile", spec.replace("NS", operator.getNamespace()));
    } catch (KubernetesClientException refusedAtAdmission) {
      // Refused by the CRD's schema before the operator ever sees it: the earliest refusal.
      assertThat(refusedAtAdmission.getMessage()).contains(field);
      assertNothingInAwsFor("hostile");
      return;
    }

    var refused =
        workloads.awaitCondition("hostile", "GuardrailCompliant", "False", "GuardrailViolation");
    var ready = WorkloadAssertions.condition(refused, "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("GuardrailViolation");
    assertThat(ready.getMessage()).contains(field).contains("[policy ");
    assertThat(WorkloadAssertions.condition(refused, "Stalled").getStatus()).isEqualTo("True");
    assertNothingInAwsFor("hostile");
    assertNoNetworkPolicyFor(operator.getNamespace(), "hostile");
    assertThat(workloads.events("hostile")).containsOnlyOnce("GuardrailViolation");
  }

  @Test
  void everyEscalationActionOfTheDefaultFloorIsRefused() {
    var actions = DefaultGuardrails.escalationFloor();
    for (int i = 0; i < actions.size(); i++) {
      create("escalation-" + i, statement(actions.get(i), "*"));
    }
    for (int i = 0; i < actions.size(); i++) {
      var refused =
          workloads.awaitCondition(
              "escalation-" + i, "GuardrailCompliant", "False", "GuardrailViolation");
      assertThat(WorkloadAssertions.condition(refused, "Ready").getMessage())
          .as(actions.get(i))
          .contains(actionPath());
    }
    for (int i = 0; i < actions.size(); i++) {
      assertNothingInAwsFor("escalation-" + i);
    }
  }

  @Test
  void namesThatOnceJoinedToOneRoleGetTwoRoles() {
    // Namespace team / name payments-api and namespace team-payments / name api.
    var team = namespace("gr-" + Long.toHexString(System.nanoTime()));
    var teamPayments = namespace(team + "-payments");
    var client = admin;
    var second = operatorWatching(team, teamPayments);
    client
        .resource(
            workload(
                "payments-api",
                "selector: {matchLabels: {app: a}}\n"
                    + statement("s3:GetObject", "arn:aws:s3:::" + team + ".bucket/*")))
        .inNamespace(team)
        .create();
    client
        .resource(
            workload(
                "api",
                "selector: {matchLabels: {app: b}}\n"
                    + statement("s3:GetObject", "arn:aws:s3:::" + teamPayments + ".bucket/*")))
        .inNamespace(teamPayments)
        .create();

    assertThat(ENV.roleName(team, "payments-api")).isNotEqualTo(ENV.roleName(teamPayments, "api"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                roleExists(ENV.roleName(team, "payments-api"))
                    && roleExists(ENV.roleName(teamPayments, "api")));
    for (var namespace : List.of(team, teamPayments)) {
      client.resources(SecureWorkload.class).inNamespace(namespace).delete();
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !roleExists(ENV.roleName(team, "payments-api")));
    second.stop();
  }

  /** A spec with one of each kind of permission, two of each so that one can be taken away. */
  private static final String EVERY_KIND_OF_PERMISSION =
      """
      iam:
        statements:
        - actions: ['sqs:SendMessage']
          resources: ['arn:aws:sqs:us-west-2:123456789012:NS_jobs']
        - actions: ['s3:GetObject']
          resources: ['arn:aws:s3:::NS.data/*']
        managedPolicyArns: ['arn:aws:iam::123456789012:policy/NS-read', 'arn:aws:iam::123456789012:policy/NS-write']
        maxSessionDurationSeconds: 7200
      secrets:
        objects:
        - {name: NS/db, type: secretsmanager}
        - {name: NS/api-key, type: secretsmanager}
      securityGroups: {groupIds: [sg-0123456789abcdef0, sg-0123456789abcdef1]}
      network:
        egress:
        - to: [{ipBlock: {cidr: 10.0.0.0/16}}, {ipBlock: {cidr: 10.1.0.0/16}}]
          ports: [{port: 443}]
      """;

  /** What the platform allowed when the workload was made; TIGHT_* replace parts of it. */
  private static final String LOOSE_POLICY =
      """
      metadata: {name: tightening-NS}
      spec:
        namespaces: [NS]
        iam:
          allowedActions: ['sqs:SendMessage', 's3:GetObject', 'secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']
          allowedResources: ['arn:aws:sqs:*:123456789012:NS_*', 'arn:aws:s3:::NS.*']
          allowedManagedPolicyArns: ['arn:aws:iam::123456789012:policy/NS-*']
          permissionsBoundaryArn: BOUNDARY
          maxSessionDurationSeconds: 43200
        secrets: {allowedNames: ['NS/*']}
        securityGroups: {allowedGroupIds: ['sg-0123456789abcdef*']}
        network: {allowedCidrs: [10.0.0.0/8]}
      """;

  /**
   * Every kind of permission taken away at once, together with a limit that no narrowing can mend:
   * the namespace may have no SecureWorkload at all.
   */
  private String tightened(String loose) {
    return loose
            .replace("allowedActions:", "deniedActions: ['sqs:SendMessage']\n    allowedActions:")
            .replace(
                "policy/" + operator.getNamespace() + "-*'",
                "policy/" + operator.getNamespace() + "-read'")
            .replace(
                "permissionsBoundaryArn: " + OperatorTestEnvironment.BOUNDARY,
                "permissionsBoundaryArn: " + strictBoundary())
            .replace("maxSessionDurationSeconds: 43200", "maxSessionDurationSeconds: 3600")
            .replace(
                "allowedNames: ['" + operator.getNamespace() + "/*']",
                "allowedNames: ['" + operator.getNamespace() + "/db']")
            .replace("'sg-0123456789abcdef*'", "'sg-0123456789abcdef0'")
            .replace("allowedCidrs: [10.0.0.0/8]", "allowedCidrs: [10.0.0.0/16]")
        + "  limits: {maxWorkloadsPerNamespace: 0}\n";
  }

  private String strictBoundary() {
    return "arn:aws:iam::123456789012:policy/" + operator.getNamespace() + "-strict";
  }

  private String withNamespace(String yaml) {
    return yaml.replace("NS", operator.getNamespace())
        .replace("BOUNDARY", OperatorTestEnvironment.BOUNDARY);
  }

  private void managedPolicies(String... names) {
    for (var name : names) {
      iam.createPolicy(
          p ->
              p.policyName(operator.getNamespace() + "-" + name)
                  .policyDocument(
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                          + "\"Action\":\"sqs:GetQueueUrl\",\"Resource\":\"*\"}]}"));
    }
  }

  @Test
  void aTighteningReachesTheRoleAndChildrenWhileAViolationNoNarrowingMendsRemains() {
    ThirdPartyCrds.install(admin);
    managedPolicies("read", "write", "strict");
    var loose = withNamespace(LOOSE_POLICY);
    governedOnlyBy(loose);
    create("tightened", withNamespace(EVERY_KIND_OF_PERMISSION));
    workloads.awaitReady("tightened");
    var roleName = ENV.roleName(operator.getNamespace(), "tightened");

    policy(tightened(loose));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              var role = iam.getRole(r -> r.roleName(roleName)).role();
              assertThat(role.permissionsBoundary().permissionsBoundaryArn())
                  .isEqualTo(strictBoundary());
              assertThat(role.maxSessionDuration()).isEqualTo(3600);
              assertThat(iam.listAttachedRolePolicies(r -> r.roleName(roleName)).attachedPolicies())
                  .extracting(p -> p.policyArn())
                  .containsExactly(
                      "arn:aws:iam::123456789012:policy/" + operator.getNamespace() + "-read");
              assertThat(ENV.inlinePolicy(roleName))
                  .doesNotContain("sqs:SendMessage")
                  .doesNotContain("api-key")
                  .contains("s3:GetObject")
                  .contains(operator.getNamespace() + "/db");
              assertThat(
                      operator
                          .get(
                              io.secureworkload.operator.thirdparty.SecurityGroupPolicy.class,
                              "tightened")
                          .getSpec()
                          .getSecurityGroups()
                          .getGroupIds())
                  .containsExactly("sg-0123456789abcdef0");
              assertThat(
                      operator
                          .get(
                              io.secureworkload.operator.thirdparty.SecretProviderClass.class,
                              "tightened")
                          .getSpec()
                          .getParameters()
                          .get("objects"))
                  .contains(operator.getNamespace() + "/db")
                  .doesNotContain("api-key");
              assertThat(egressCidrs("tightened"))
                  .contains("10.0.0.0/16")
                  .doesNotContain("10.1.0.0/16");
            });
    var blocked =
        workloads.awaitCondition("tightened", "GuardrailCompliant", "False", "GuardrailViolation");
    assertThat(WorkloadAssertions.condition(blocked, "Ready").getMessage())
        .contains("nothing is added or widened")
        .contains("more");

    // What the tenant adds meanwhile waits until the violation is fixed.
    operator.replace(
        workload(
            "tightened",
            "selector: {matchLabels: {app: tightened}}\n"
                + withNamespace(EVERY_KIND_OF_PERMISSION)
                    .replace(
                        "  managedPolicyArns:",
                        "  - actions: ['s3:GetObject']\n"
                            + "    resources: ['arn:aws:s3:::"
                            + operator.getNamespace()
                            + ".more/*']\n  managedPolicyArns:")));
    await()
        .pollDelay(SETTLE)
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(ENV.inlinePolicy(roleName)).doesNotContain(".more/"));
  }

  @Test
  void theChildrenOfAWorkloadWhoseRoleIsGoneAreTightenedAndNoRoleIsMade() {
    ThirdPartyCrds.install(admin);
    managedPolicies("read", "write", "strict");
    var loose = withNamespace(LOOSE_POLICY);
    governedOnlyBy(loose);
    create("roleless", withNamespace(EVERY_KIND_OF_PERMISSION));
    workloads.awaitReady("roleless");
    var roleName = ENV.roleName(operator.getNamespace(), "roleless");
    deleteRoleOutsideTheOperator(roleName);

    policy(tightened(loose));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(
                      operator
                          .get(
                              io.secureworkload.operator.thirdparty.SecurityGroupPolicy.class,
                              "roleless")
                          .getSpec()
                          .getSecurityGroups()
                          .getGroupIds())
                  .containsExactly("sg-0123456789abcdef0");
              assertThat(
                      operator
                          .get(
                              io.secureworkload.operator.thirdparty.SecretProviderClass.class,
                              "roleless")
                          .getSpec()
                          .getParameters()
                          .get("objects"))
                  .doesNotContain("api-key");
              assertThat(egressCidrs("roleless"))
                  .contains("10.0.0.0/16")
                  .doesNotContain("10.1.0.0/16");
            });
    var blocked =
        workloads.awaitCondition("roleless", "GuardrailCompliant", "False", "GuardrailViolation");
    assertThat(WorkloadAssertions.condition(blocked, "Ready").getMessage())
        .contains("No IAM role is made");
    assertThat(roleExists(roleName)).isFalse();
  }

  @Test
  void aNamespaceSelectedOnlyByAnAuditPolicyKeepsTheDefaultsRefusals() {
    governedOnlyBy(
        """
        metadata: {name: trial-%s}
        spec:
          namespaces: [%s]
          mode: Audit
          iam:
            allowedActions: ['*']
            allowedResources: ['*']
            permissionsBoundaryArn: %s
        """
            .formatted(
                operator.getNamespace(),
                operator.getNamespace(),
                OperatorTestEnvironment.BOUNDARY));

    create("trial", statement("ec2:RunInstances", "*"));

    var refused =
        workloads.awaitCondition("trial", "GuardrailCompliant", "False", "GuardrailViolation");
    assertThat(WorkloadAssertions.condition(refused, "Ready").getMessage())
        .contains(actionPath())
        .contains("[policy default]");
    assertNothingInAwsFor("trial");
  }

  @Test
  void theLastRevokedSecurityGroupStaysNamedUntilAFallbackGroupTakesItsPlace() {
    ThirdPartyCrds.install(admin);
    var ns = operator.getNamespace();
    var groups =
        """
        metadata: {name: groups-%s}
        spec:
          namespaces: [%s]
          iam: {permissionsBoundaryArn: %s}
          securityGroups: {allowedGroupIds: [%s]%s}
        """;
    governedOnlyBy(
        groups.formatted(ns, ns, OperatorTestEnvironment.BOUNDARY, "sg-0123456789abcdef0", ""));
    create("grouped", "securityGroups: {groupIds: [sg-0123456789abcdef0]}");
    workloads.awaitReady("grouped");

    policy(groups.formatted(ns, ns, OperatorTestEnvironment.BOUNDARY, "sg-0fffffffffffffff0", ""));

    var kept =
        workloads.awaitCondition("grouped", "GuardrailCompliant", "False", "GuardrailViolation");
    assertThat(WorkloadAssertions.condition(kept, "Ready").getMessage())
        .startsWith("The refused security groups sg-0123456789abcdef0 stay on the pods")
        .contains("spec.securityGroups.groupIds[0]");
    assertThat(securityGroupsOf("grouped")).containsExactly("sg-0123456789abcdef0");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        admin.v1().events().inNamespace(ns).list().getItems().stream()
                            .filter(e -> "grouped".equals(e.getInvolvedObject().getName()))
                            .filter(e -> "Warning".equals(e.getType()))
                            .map(e -> e.getMessage()))
                    .anyMatch(message -> message.contains("stay on the pods")));

    policy(
        groups.formatted(
            ns,
            ns,
            OperatorTestEnvironment.BOUNDARY,
            "sg-0fffffffffffffff0",
            ", fallbackGroupId: sg-0fffffffffffffff0"));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(securityGroupsOf("grouped")).containsExactly("sg-0fffffffffffffff0"));
  }

  private List<String> securityGroupsOf(String workloadName) {
    return operator
        .get(io.secureworkload.operator.thirdparty.SecurityGroupPolicy.class, workloadName)
        .getSpec()
        .getSecurityGroups()
        .getGroupIds();
  }

  private List<String> egressCidrs(String workloadName) {
    var egress =
        operator.get(
            io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class,
            workloadName + "-egress");
    return egress.getSpec().getEgress().stream()
        .flatMap(rule -> rule.getTo().stream())
        .filter(peer -> peer.getIpBlock() != null)
        .map(peer -> peer.getIpBlock().getCidr())
        .toList();
  }

  private void deleteRoleOutsideTheOperator(String roleName) {
    for (var attached :
        iam.listAttachedRolePolicies(r -> r.roleName(roleName)).attachedPolicies()) {
      iam.detachRolePolicy(r -> r.roleName(roleName).policyArn(attached.policyArn()));
    }
    for (var inline : iam.listRolePolicies(r -> r.roleName(roleName)).policyNames()) {
      iam.deleteRolePolicy(r -> r.roleName(roleName).policyName(inline));
    }
    iam.deleteRole(r -> r.roleName(roleName));
  }

  /**
   * The extension's operator watches the test's namespace only; tests that need more namespaces run
   * one more operator, built the same way, that watches them.
   */
  private io.javaoperatorsdk.operator.Operator operatorWatching(String... namespaces) {
    return operatorWatching(java.util.function.UnaryOperator.identity(), namespaces);
  }

  private io.javaoperatorsdk.operator.Operator operatorWatching(
      java.util.function.UnaryOperator<io.secureworkload.operator.config.OperatorSettings> change,
      String... namespaces) {
    var settings =
        change.apply(
            ENV.settings().toBuilder().watchNamespaces(java.util.Set.of(namespaces)).build());
    var operator =
        io.secureworkload.operator.OperatorAssembly.onAws(
                settings, io.secureworkload.operator.testsupport.MotoServer.credentials())
            .newOperator(KubeApiServer.get().newClient());
    operator.start();
    return operator;
  }

  @Test
  void aWildcardIsWrittenAsTheActionsItGrantedWhenVetted() {
    var queue = "arn:aws:sqs:us-west-2:123456789012:" + operator.getNamespace() + "_jobs";
    create("expanded", statement("'sqs:*Message'", queue));

    workloads.awaitReady("expanded");
    var written =
        PolicyDocuments.normalise(
            ENV.inlinePolicy(ENV.roleName(operator.getNamespace(), "expanded")));
    assertThat(written.toString())
        .contains("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage")
        .doesNotContain("*Message");
  }

  @Test
  void aKeyIsReachedOnlyThroughAServiceAndAnAliasOfTheNamespace() {
    var ns = operator.getNamespace();
    create("keyed", statement("kms:Decrypt", "arn:aws:kms:us-west-2:123456789012:key/*"));

    workloads.awaitReady("keyed");
    var written = ENV.inlinePolicy(ENV.roleName(ns, "keyed"));
    assertThat(written)
        .contains("kms:ViaService")
        .contains("kms:ResourceAliases")
        .contains("alias/" + ns + "/*");
  }

  @Test
  void aPlatformPatternThatLetsOneNamespaceReachAnothersMatchesNothingAndIsNamed() {
    var ns = namespace("gr-" + Long.toHexString(System.nanoTime()));
    var dashes = "dashes-" + ns;
    policy(
        """
        metadata: {name: %s}
        spec:
          namespaces: [%s]
          iam:
            permissionsBoundaryArn: %s
            allowedResources: ["arn:${partition}:s3:::${namespace}-*", "arn:${partition}:s3:::${namespace}.*"]
        """
            .formatted(dashes, ns, OperatorTestEnvironment.BOUNDARY));
    admin.resources(SecureWorkloadPolicy.class).withName("boundary-" + ns).delete();
    policies.remove("boundary-" + ns);
    var second = operatorWatching(ns);

    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(policyStatus(dashes).getConditions())
                    .singleElement()
                    .satisfies(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("False");
                          assertThat(c.getReason()).isEqualTo("InvalidPattern");
                          assertThat(c.getMessage())
                              .contains("spec.iam.allowedResources[0]")
                              .contains("${namespace}-*");
                        }));
    admin
        .resource(
            workload(
                "neighbour",
                "selector: {matchLabels: {app: n}}\n"
                    + statement("s3:GetObject", "arn:aws:s3:::" + ns + "-payments.data/*")))
        .inNamespace(ns)
        .create();
    admin
        .resource(
            workload(
                "own",
                "selector: {matchLabels: {app: o}}\n"
                    + statement("s3:GetObject", "arn:aws:s3:::" + ns + ".data/*")))
        .inNamespace(ns)
        .create();

    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              var neighbour =
                  admin.resources(SecureWorkload.class).inNamespace(ns).withName("neighbour").get();
              assertThat(WorkloadAssertions.condition(neighbour, "Ready").getMessage())
                  .contains("spec.iam.statements[0].resources[0]")
                  .contains("[policy " + dashes + "]");
              var own = admin.resources(SecureWorkload.class).inNamespace(ns).withName("own").get();
              assertThat(WorkloadAssertions.condition(own, "Ready").getStatus()).isEqualTo("True");
            });
    assertThat(roleExists(ENV.roleName(ns, "neighbour"))).isFalse();
    admin.resources(SecureWorkload.class).inNamespace(ns).delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> !roleExists(ENV.roleName(ns, "own")));
    second.stop();
  }

  @Test
  void theSecretSuffixIsAcceptedOnlyAfterAFullArn() {
    var ns = operator.getNamespace();
    governedOnlyBy(
        """
        metadata: {name: %s}
        spec:
          namespaces: [%s]
          iam: {permissionsBoundaryArn: %s}
          secrets: {allowedNames: ["shared/db"]}
        """
            .formatted("shared-db-" + ns, ns, OperatorTestEnvironment.BOUNDARY));

    create("backup", "secrets: {objects: [{name: shared/db-backup, type: secretsmanager}]}");
    create(
        "exact",
        "secrets: {objects: [{name: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:shared/db-AbCdEf',"
            + " type: secretsmanager, alias: db}]}");

    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        WorkloadAssertions.condition(
                                operator.get(SecureWorkload.class, "backup"), "Ready")
                            .getMessage())
                    .contains("spec.secrets.objects[0].name")
                    .contains("[policy shared-db-" + ns + "]"));
    // Ready waits for the CSI driver's CRD, which this API server lacks; the role is the point.
    workloads.awaitCondition("exact", "GuardrailCompliant", "True", "Compliant");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> roleExists(ENV.roleName(operator.getNamespace(), "exact")));
    assertNothingInAwsFor("backup");
  }

  @Test
  void theSizeLimitIsMeasuredOnTheDocumentAsSentWithTheOperatorsConditions() {
    // 32 statements on buckets: each gets aws:ResourceAccount from the operator, about 60
    // characters, so a document counted just under the limit is sent well over it.
    String spec = null;
    for (int length = 1; ; length++) {
      var statements = new ArrayList<io.secureworkload.operator.api.PolicyStatement>();
      var yaml = new StringBuilder("iam:\n  statements:\n");
      for (int i = 0; i < 32; i++) {
        var arn = own("b" + i + "/" + "k".repeat(length) + "*");
        statements.add(
            new io.secureworkload.operator.api.PolicyStatement(
                null, null, List.of("s3:GetObject"), List.of(arn), null));
        yaml.append("  - {actions: [s3:GetObject], resources: ['%s']}\n".formatted(arn));
      }
      int counted = IamLimits.countedLength(PolicyDocuments.inlinePolicy(statements, List.of()));
      if (counted > IamLimits.MAX_INLINE_POLICY_CHARACTERS - 400) {
        assertThat(counted).isLessThan(IamLimits.MAX_INLINE_POLICY_CHARACTERS);
        spec = yaml.toString();
        break;
      }
    }
    create("conditioned", spec);

    var refused =
        workloads.awaitCondition(
            "conditioned", "GuardrailCompliant", "False", "GuardrailViolation");
    assertThat(WorkloadAssertions.condition(refused, "Ready").getMessage())
        .contains("spec.iam.statements")
        .contains("10240");
    assertNothingInAwsFor("conditioned");
  }

  /**
   * The chart installs the default as a visible policy: after the API server's pruning and
   * defaulting it is still, field by field, the built-in default the operator applies without it.
   */
  @Test
  void theChartsDefaultPolicySurvivesTheApiServerAsTheBuiltInOne() {
    var rendered =
        io.secureworkload.operator.testsupport.HelmChart.render(
                io.secureworkload.operator.testsupport.HelmChart.ciValues("default-values.yaml"))
            .stream()
            .filter(r -> "SecureWorkloadPolicy".equals(r.getKind()))
            .findFirst()
            .orElseThrow();
    var policy =
        Serialization.unmarshal(Serialization.asYaml(rendered), SecureWorkloadPolicy.class);
    policy.getMetadata().setName("chart-default-" + operator.getNamespace());
    // Labelled as the default it would govern other tests' namespaces; the spec is what counts.
    policy.getMetadata().setLabels(null);
    admin.resource(policy).create();
    policies.add(policy.getMetadata().getName());

    var stored =
        admin.resources(SecureWorkloadPolicy.class).withName(policy.getMetadata().getName()).get();
    assertThat(Serialization.asJson(stored.getSpec()))
        .isEqualTo(Serialization.asJson(DefaultGuardrails.policy().getSpec()));
  }

  @Test
  void anIpBlockOutsideTheAllowedCidrsIsRefused() {
    policy(
        """
        metadata: {name: %s}
        spec:
          namespaces: [%s]
          network: {allowedCidrs: [10.0.0.0/8]}
        """
            .formatted("cidrs-" + operator.getNamespace(), operator.getNamespace()));

    create(
        "outside",
        statement("s3:GetObject", own("b/*"))
            + "\nnetwork:\n  egress: [{to: [{ipBlock: {cidr: 192.168.0.0/16}}]}]");

    var refused =
        workloads.awaitCondition("outside", "GuardrailCompliant", "False", "GuardrailViolation");
    assertThat(WorkloadAssertions.condition(refused, "Ready").getMessage())
        .contains("spec.network.egress[0].to[0].ipBlock.cidr")
        .contains("192.168.0.0/16");
    assertNothingInAwsFor("outside");
  }

  /**
   * Kubernetes reads a rule without peers as every address, the metadata addresses included. The
   * default admits every address but those: the rule is written so.
   */
  @Test
  void aRuleWithoutPeersIsWrittenAsEveryAddressButTheMetadataAddresses() {
    create(
        "anywhere",
        statement("s3:GetObject", own("b/*"))
            + "\nnetwork:\n  ingress: [{from: [], ports: [{port: 8080}]}]\n"
            + "  egress: [{ports: [{port: 443}]}]");

    workloads.awaitReady("anywhere");
    assertThat(networkPolicy("anywhere-ingress").getSpec().getIngress().get(0).getFrom())
        .containsExactlyElementsOf(TestNetworkPolicies.EVERY_ADDRESS_AND_POD);
    assertThat(networkPolicy("anywhere-egress").getSpec().getEgress().get(0).getTo())
        .containsExactlyElementsOf(TestNetworkPolicies.EVERY_ADDRESS_AND_POD);
    assertThat(roleExists(ENV.roleName(operator.getNamespace(), "anywhere"))).isTrue();

    // As the API server stores them: a reconciliation they trigger writes neither again.
    await().pollDelay(SETTLE).atMost(Duration.ofSeconds(10)).until(() -> true);
    var egress = networkPolicy("anywhere-egress");
    egress.getMetadata().getLabels().put("touched", "true");
    var touched = admin.resource(egress).update().getMetadata().getResourceVersion();
    var ingress = networkPolicy("anywhere-ingress").getMetadata().getResourceVersion();
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
    assertThat(networkPolicy("anywhere-egress").getMetadata().getResourceVersion())
        .isEqualTo(touched);
    assertThat(networkPolicy("anywhere-ingress").getMetadata().getResourceVersion())
        .isEqualTo(ingress);
  }

  @Test
  void aRuleWithoutPeersIsRefusedWhereAPolicyRestrictsCidrs() {
    policy(
        """
        metadata: {name: %s}
        spec:
          namespaces: [%s]
          network: {allowedCidrs: [10.0.0.0/8]}
        """
            .formatted("cidrs-" + operator.getNamespace(), operator.getNamespace()));

    create(
        "anywhere",
        statement("s3:GetObject", own("b/*")) + "\nnetwork:\n  egress: [{ports: [{port: 443}]}]");

    var refused =
        workloads.awaitCondition("anywhere", "GuardrailCompliant", "False", "GuardrailViolation");
    assertThat(WorkloadAssertions.condition(refused, "Ready").getMessage())
        .contains("spec.network.egress[0].to: \"every address (no peers)\"")
        .contains("[policy cidrs-" + operator.getNamespace() + "]");
    assertNothingInAwsFor("anywhere");
    assertNoNetworkPolicyFor(operator.getNamespace(), "anywhere");
  }

  /**
   * An existing workload loses the refused rule whole, never keeps it peerless; and since egress
   * would then be isolated by no policy at all, it is denied by default from then on.
   */
  @Test
  void aStricterPolicyTakesARuleWithoutPeersAwayAndKeepsEgressDenied() {
    create(
        "opened",
        statement("s3:GetObject", own("b/*"))
            + "\nnetwork:\n  defaultDeny: {egress: false}\n  egress: [{ports: [{port: 443}]}]");
    workloads.awaitReady("opened");
    assertThat(networkPolicy("opened-egress").getSpec().getEgress().get(0).getTo())
        .containsExactlyElementsOf(TestNetworkPolicies.EVERY_ADDRESS_AND_POD);
    assertThat(networkPolicy("opened-default-deny").getSpec().getPolicyTypes())
        .containsExactly("Ingress");

    policy(
        """
        metadata: {name: %s}
        spec:
          namespaces: [%s]
          network: {allowedCidrs: [10.0.0.0/8]}
        """
            .formatted("cidrs-" + operator.getNamespace(), operator.getNamespace()));

    var narrowed =
        workloads.awaitCondition("opened", "GuardrailCompliant", "False", "GuardrailViolation");
    assertThat(WorkloadAssertions.condition(narrowed, "Ready").getMessage())
        .contains("spec.network.egress[0].to");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(networkPolicy("opened-egress").getSpec().getEgress())
                  .noneSatisfy(
                      rule ->
                          assertThat(rule.getTo())
                              .containsAnyElementsOf(TestNetworkPolicies.EVERY_ADDRESS_AND_POD));
              assertThat(networkPolicy("opened-default-deny").getSpec().getPolicyTypes())
                  .containsExactlyInAnyOrder("Ingress", "Egress");
            });
    assertThat(roleExists(ENV.roleName(operator.getNamespace(), "opened"))).isTrue();
  }

  static Stream<Arguments> builtInRules() {
    var ipBlock = "spec.network.egress.to.ipBlock";
    var cidrField = "spec.network.egress[0].to[0].ipBlock.cidr";
    var synced = "spec.secrets.syncToSecrets";
    return Stream.of(
        builtIn(
            "a mapped metadata address",
            ipBlock,
            egressTo("::ffff:169.254.169.254/128"),
            cidrField,
            "is 169.254.169.254/32, reaches 169.254.169.254/32"),
        builtIn(
            "a mapped metadata address in hex",
            ipBlock,
            egressTo("::ffff:a9fe:a9fe/128"),
            cidrField,
            "is 169.254.169.254/32, reaches 169.254.169.254/32"),
        builtIn(
            "the metadata address in octal",
            ipBlock,
            egressTo("0251.0376.0251.0376/32"),
            cidrField,
            "cannot be vetted"),
        builtIn(
            "the metadata address in a short form",
            ipBlock,
            egressTo("169.254.43518/32"),
            cidrField,
            "cannot be vetted"),
        builtIn(
            "a Secret the token controller fills with a ServiceAccount's token",
            synced,
            syncedSecret(
                "type: kubernetes.io/service-account-token,"
                    + " annotations: {'kubernetes.io/service-account.name': default}"),
            synced + "[0].type",
            "the token controller fills a service-account-token Secret"),
        builtIn(
            "a Secret a replicator copies into another namespace",
            synced,
            syncedSecret("annotations: {'replicator.v1.mittwald.de/replicate-to': kube-system}"),
            synced + "[0].annotations.replicator.v1.mittwald.de/replicate-to",
            "keys may have no prefix"),
        builtIn(
            "a Secret Helm takes for a release record",
            synced,
            syncedSecret("labels: {owner: helm, name: platform, status: deployed, version: '9'}"),
            synced + "[0].labels.owner",
            "Helm finds its release records"),
        builtIn(
            "an object mounted as the mount's parent",
            "spec.secrets.objects",
            "secrets: {objects: [{name: db, type: secretsmanager, alias: '..'}]}",
            "spec.secrets.objects[0].alias",
            "is not . or .."),
        builtIn(
            "a JMESPath beyond selecting a key",
            "spec.secrets.objects",
            "secrets: {objects: [{name: db, type: secretsmanager,"
                + " jmesPath: [{path: 'to_string(@)', alias: all}]}]}",
            "spec.secrets.objects[0].jmesPath[0].path",
            "a JMESPath here selects a key"),
        builtIn(
            "a security group id that is two",
            "spec.securityGroups",
            "securityGroups: {groupIds: ['sg-0123abcd,sg-1']}",
            "spec.securityGroups.groupIds[0]",
            "a security group id is sg-"),
        // The schema cannot hold condition keys: no earlier CRD is needed.
        builtIn(
            "the operator's key condition in another case, under IfExists",
            null,
            "iam: {statements: [{actions: [kms:Decrypt],"
                + " resources: ['arn:aws:kms:us-west-2:123456789012:key/*'],"
                + " conditions: {StringLikeIfExists: {'KMS:viaservice': ['*']}}}]}",
            "spec.iam.statements[0].conditions.StringLikeIfExists.KMS:viaservice",
            "the operator sets this condition key itself"));
  }

  /**
   * A cluster may still hold the CRD of an earlier version, whose schema lets more through. The
   * operator's own rules for what it passes on hold without the schema, and in every mode: here
   * even the default only audits.
   *
   * @param unchecked the property under which the earlier CRD has no checks; null for the current
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("builtInRules")
  void aBuiltInRuleHoldsUnderAnEarlierSchemaEvenWhereEveryPolicyOnlyAudits(
      String attack, String unchecked, String spec, String field, String detail) {
    var namespace = namespace("gr-unbounded-audit-" + Long.toHexString(System.nanoTime()));
    var second =
        operatorWatching(
            s -> s.toBuilder().defaultPolicyMode(SecureWorkloadPolicySpec.Mode.Audit).build(),
            namespace);
    if (unchecked != null) {
      Crds.installSecureWorkloadCrdWithoutChecksUnder(admin, unchecked);
    }
    try {
      var hostile = workload("hostile", "selector: {matchLabels: {app: hostile}}\n" + spec);
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> admin.resource(hostile).inNamespace(namespace).create() != null);

      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                var refused =
                    admin
                        .resources(SecureWorkload.class)
                        .inNamespace(namespace)
                        .withName("hostile")
                        .get();
                var compliant = WorkloadAssertions.condition(refused, "GuardrailCompliant");
                assertThat(compliant.getReason()).isEqualTo("GuardrailViolation");
                assertThat(compliant.getMessage())
                    .contains(field + ": ")
                    .contains(detail)
                    .contains("[policy default]");
              });
      assertThat(roleExists(ENV.roleName(namespace, "hostile"))).isFalse();
      assertThat(admin.serviceAccounts().inNamespace(namespace).withName("hostile").get()).isNull();
      assertNoNetworkPolicyFor(namespace, "hostile");
    } finally {
      admin.resources(SecureWorkload.class).inNamespace(namespace).delete();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  admin
                      .resources(SecureWorkload.class)
                      .inNamespace(namespace)
                      .list()
                      .getItems()
                      .isEmpty());
      Crds.installOperatorCrds(admin);
      second.stop();
    }
  }

  private static Arguments builtIn(
      String attack, String unchecked, String spec, String field, String detail) {
    return Arguments.of(attack, unchecked, spec, field, detail);
  }

  private static String egressTo(String cidr) {
    return "network:\n  egress: [{to: [{ipBlock: {cidr: '%s'}}]}]".formatted(cidr);
  }

  private static String syncedSecret(String fields) {
    return "secrets:\n  objects: [{name: db, type: secretsmanager}]\n"
        + "  syncToSecrets: [{secretName: copied, %s, data: [{key: k, objectAlias: db}]}]"
            .formatted(fields);
  }

  @Test
  void aTrustPolicyOverTheAccountsQuotaIsRefusedBeforeAnyAwsCall() {
    var namespace = namespace("gr-" + Long.toHexString(System.nanoTime()));
    var second =
        operatorWatching(s -> s.toBuilder().maxTrustPolicyCharacters(200).build(), namespace);
    admin
        .resource(
            workload(
                "trusting",
                "selector: {matchLabels: {app: t}}\n"
                    + statement("s3:GetObject", "arn:aws:s3:::" + namespace + ".b/*")))
        .inNamespace(namespace)
        .create();

    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () ->
                WorkloadAssertions.condition(
                        admin
                            .resources(SecureWorkload.class)
                            .inNamespace(namespace)
                            .withName("trusting")
                            .get(),
                        "Ready")
                    .getMessage()
                    .contains("trust policy"));
    assertThat(roleExists(ENV.roleName(namespace, "trusting"))).isFalse();
    admin.resources(SecureWorkload.class).inNamespace(namespace).delete();
    second.stop();
  }

  @Test
  void aServiceAccountSomeoneElseMadeIsNotTakenOverAndNoRoleTrustsIt() {
    admin
        .serviceAccounts()
        .inNamespace(operator.getNamespace())
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("shared").endMetadata().build())
        .create();

    create(
        "intruder",
        "serviceAccount: {name: shared}\n" + statement("s3:GetObject", own("bucket/*")));

    workloads.awaitCondition("intruder", "ServiceAccountReady", "False", "ServiceAccountNotOwned");
    await().pollDelay(SETTLE).atMost(Duration.ofSeconds(10)).until(() -> true);
    assertNothingInAwsFor("intruder");
  }

  @Test
  void theSecondWorkloadOnOneServiceAccountIsAConflictWithoutARole() {
    create("first", "serviceAccount: {name: shared}\n" + statement("s3:GetObject", own("a/*")));
    workloads.awaitReady("first");

    create("second", "serviceAccount: {name: shared}\n" + statement("s3:PutObject", own("a/*")));

    workloads.awaitCondition("second", "ServiceAccountReady", "False", "ServiceAccountConflict");
    await().pollDelay(SETTLE).atMost(Duration.ofSeconds(10)).until(() -> true);
    assertNothingInAwsFor("second");
  }

  @Test
  void aRoleTaggedForAnotherClusterIsLeftUntouched() {
    var roleName = ENV.roleName(operator.getNamespace(), "victim");
    var trust = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
    iam.createRole(
        r ->
            r.roleName(roleName)
                .path("/secureworkload/")
                .assumeRolePolicyDocument(trust)
                .tags(
                    tag(WorkloadRole.TAG_MANAGED_BY, SecureWorkload.MANAGED_BY),
                    tag(WorkloadRole.TAG_CLUSTER, "another-cluster"),
                    tag(WorkloadRole.TAG_NAMESPACE, operator.getNamespace()),
                    tag(WorkloadRole.TAG_NAME, "victim")));

    create("victim", statement("s3:GetObject", own("bucket/*")));

    workloads.awaitCondition("victim", "IAMRoleReady", "False", "RoleNotOwned");
    var role = iam.getRole(r -> r.roleName(roleName)).role();
    assertThat(PolicyDocuments.equivalent(role.assumeRolePolicyDocument(), trust)).isTrue();
    assertThat(iam.listRolePolicies(r -> r.roleName(roleName)).policyNames()).isEmpty();
  }

  @Test
  void anInlinePolicyOverIamsLimitIsRefusedBeforeAnyAwsCall() {
    var statements = new StringBuilder("iam:\n  statements:\n");
    // Within the CRD's limits (32 statements), beyond IAM's 10,240 characters.
    var longPath = "reports/".repeat(40);
    for (int i = 0; i < 32; i++) {
      statements.append(
          "  - {actions: [s3:GetObject], resources: ['%s']}\n"
              .formatted(own("bucket-" + i + "/" + longPath + "*")));
    }
    create("large", statements.toString());

    var refused =
        workloads.awaitCondition("large", "GuardrailCompliant", "False", "GuardrailViolation");
    assertThat(WorkloadAssertions.condition(refused, "Ready").getMessage()).contains("10240");
    assertNothingInAwsFor("large");
  }

  @Test
  void moreWorkloadsThanTheNamespaceMayHaveAreRefused() {
    policy(
        """
        metadata: {name: %s}
        spec:
          namespaces: [%s]
          limits: {maxWorkloadsPerNamespace: 1}
        """
            .formatted("one-per-" + operator.getNamespace(), operator.getNamespace()));
    create("first", statement("s3:GetObject", own("a/*")));
    workloads.awaitReady("first");

    create("second", statement("s3:GetObject", own("a/*")));

    var refused =
        workloads.awaitCondition("second", "GuardrailCompliant", "False", "GuardrailViolation");
    assertThat(WorkloadAssertions.condition(refused, "Ready").getMessage())
        .contains("metadata.namespace");
    assertNothingInAwsFor("second");
  }

  @Test
  void aStricterPolicyNarrowsTheRoleAndKeepsItsTrust() {
    create(
        "narrowed",
        """
        iam:
          statements:
            - {sid: Read, actions: [s3:GetObject], resources: ['arn:aws:s3:::NS.a/*']}
            - {sid: Send, actions: [sqs:SendMessage], resources: ['arn:aws:sqs:us-west-2:123456789012:NS_q']}
        """
            .replace("NS", operator.getNamespace()));
    workloads.awaitReady("narrowed");
    var roleName = ENV.roleName(operator.getNamespace(), "narrowed");
    var trust = iam.getRole(r -> r.roleName(roleName)).role().assumeRolePolicyDocument();

    policy(
        """
        metadata: {name: %s}
        spec:
          namespaces: [%s]
          iam: {deniedActions: ['sqs:*']}
        """
            .formatted("no-sqs-" + operator.getNamespace(), operator.getNamespace()));

    var narrowed =
        workloads.awaitCondition("narrowed", "GuardrailCompliant", "False", "GuardrailViolation");
    assertThat(WorkloadAssertions.condition(narrowed, "Ready").getMessage())
        .contains("spec.iam.statements[1].actions[0]");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(ENV.inlinePolicy(roleName))
                    .contains("s3:GetObject")
                    .doesNotContain("sqs:SendMessage"));
    assertThat(
            PolicyDocuments.equivalent(
                iam.getRole(r -> r.roleName(roleName)).role().assumeRolePolicyDocument(), trust))
        .isTrue();
  }

  @Test
  void auditModeReportsAndBlocksNothing() {
    policy(
        """
        metadata: {name: %s}
        spec:
          namespaces: [%s]
          mode: Audit
          iam: {deniedActions: ['s3:GetObject']}
        """
            .formatted("audit-" + operator.getNamespace(), operator.getNamespace()));

    create("audited", statement("s3:GetObject", own("a/*")));

    var ready = workloads.awaitReady("audited");
    assertThat(WorkloadAssertions.condition(ready, "GuardrailCompliant"))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("GuardrailAudit");
              assertThat(c.getMessage()).contains("spec.iam.statements[0].actions[0]");
            });
    assertThat(ENV.inlinePolicy(ENV.roleName(operator.getNamespace(), "audited")))
        .contains("s3:GetObject");
    assertThat(workloads.events("audited")).containsOnlyOnce("GuardrailAudit");
  }

  @Test
  void withoutABoundaryNoRoleIsWrittenAndOnceOneIsNamedItIsWrittenWithTheRole() {
    var unbounded = namespace("gr-unbounded-" + Long.toHexString(System.nanoTime()));
    var client = admin;
    var second = operatorWatching(unbounded);
    client
        .resource(
            workload(
                "bare",
                statement("s3:GetObject", "arn:aws:s3:::" + unbounded + ".a/*")
                    + "\nselector: {matchLabels: {app: bare}}"))
        .inNamespace(unbounded)
        .create();
    var roleName = ENV.roleName(unbounded, "bare");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              var w =
                  client
                      .resources(SecureWorkload.class)
                      .inNamespace(unbounded)
                      .withName("bare")
                      .get();
              return w.getStatus() != null
                  && w.getStatus().getConditions().stream()
                      .anyMatch(c -> "PermissionsBoundaryMissing".equals(c.getReason()));
            });
    assertThat(roleExists(roleName)).isFalse();

    policy(
        """
        metadata: {name: %s}
        spec:
          namespaces: [%s]
          iam: {permissionsBoundaryArn: %s}
        """
            .formatted("bound-" + unbounded, unbounded, OperatorTestEnvironment.BOUNDARY));

    await().atMost(Duration.ofSeconds(60)).until(() -> roleExists(roleName));
    assertThat(
            iam.getRole(r -> r.roleName(roleName))
                .role()
                .permissionsBoundary()
                .permissionsBoundaryArn())
        .isEqualTo(OperatorTestEnvironment.BOUNDARY);
    client.resources(SecureWorkload.class).inNamespace(unbounded).delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> !roleExists(roleName));
    second.stop();
  }

  /**
   * A workload made by an earlier version has its role under the earlier name, which IAM cannot
   * rename: the status names that role, so the operator keeps using it, proves it its own by the
   * earlier tags and completes them; no second role is made.
   */
  @Test
  void aRoleMadeUnderTheEarlierNameIsAdoptedAndItsTagsCompleted() {
    var namespace = namespace("gr-" + Long.toHexString(System.nanoTime()));
    var legacy =
        io.secureworkload.operator.iam.RoleName.deriveLegacy(
            "sw-", OperatorTestEnvironment.CLUSTER, namespace, "veteran");
    iam.createRole(
        r ->
            r.roleName(legacy)
                .path("/secureworkload/")
                .assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
                .tags(
                    tag(WorkloadRole.TAG_MANAGED_BY, SecureWorkload.MANAGED_BY),
                    tag(WorkloadRole.TAG_CLUSTER, OperatorTestEnvironment.CLUSTER),
                    tag(WorkloadRole.TAG_NAMESPACE, namespace),
                    tag(WorkloadRole.TAG_NAME, "veteran")));
    var veteran =
        admin
            .resource(
                workload(
                    "veteran",
                    "selector: {matchLabels: {app: v}}\n"
                        + statement("s3:GetObject", "arn:aws:s3:::" + namespace + ".reports/*")))
            .inNamespace(namespace)
            .create();
    var earlierStatus = new io.secureworkload.operator.api.SecureWorkloadStatus();
    earlierStatus.setRoleName(legacy);
    veteran.setStatus(earlierStatus);
    admin.resource(veteran).inNamespace(namespace).patchStatus();

    var second = operatorWatching(namespace);
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () ->
                "True"
                    .equals(
                        WorkloadAssertions.condition(
                                admin
                                    .resources(SecureWorkload.class)
                                    .inNamespace(namespace)
                                    .withName("veteran")
                                    .get(),
                                "Ready")
                            .getStatus()));

    var tags = iam.listRoleTags(r -> r.roleName(legacy)).tags();
    assertThat(tags)
        .extracting(Tag::key)
        .contains(WorkloadRole.TAG_NAMESPACE_UID, WorkloadRole.TAG_ISSUER);
    assertThat(ENV.inlinePolicy(legacy)).contains("s3:GetObject");
    assertThat(roleExists(ENV.roleName(namespace, "veteran"))).as("a second role").isFalse();
    var status =
        admin.resources(SecureWorkload.class).inNamespace(namespace).withName("veteran").get();
    assertThat(status.getStatus().getRoleName()).isEqualTo(legacy);
    assertThat(status.getStatus().getRoleArn()).endsWith("/" + legacy);
    admin.resources(SecureWorkload.class).inNamespace(namespace).delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> !roleExists(legacy));
    second.stop();
  }

  /**
   * A retained role outlives its namespace: once its workload goes, no ServiceAccount can assume it
   * (its trust is cut before the finalizer goes), and a SecureWorkload of the same namespace, the
   * same uid, adopts it again and gets the trust back.
   */
  @Test
  void aRetainedRolesTrustIsCutWhenItsWorkloadGoesAndRestoredForItsOwnNamespace() {
    var namespace = retainingNamespace();
    var second = operatorWatching(namespace);
    var roleName = ENV.roleName(namespace, "keeper");
    var serviceAccount = "system:serviceaccount:" + namespace + ":keeper";
    createIn(namespace, "keeper", retainedSpec(namespace));
    awaitConditionIn(namespace, "keeper", "Ready", "True", "AllPartsReady");
    assertThat(RoleTrust.subjects(trustPolicy(roleName))).containsExactly(serviceAccount);

    deleteAndAwaitGone(namespace, "keeper");

    // Read at once: the finalizer held the workload until the cut was written.
    assertTrustCut(roleName);
    assertThat(roleTags(roleName))
        .containsEntry(WorkloadRole.TAG_RETAINED, "true")
        .containsEntry(TrustCut.TAG, "retained")
        .containsEntry(WorkloadRole.TAG_NAMESPACE_UID, namespaceUid(namespace));
    assertThat(ENV.inlinePolicy(roleName)).as("kept as it was").contains("s3:GetObject");

    createIn(namespace, "keeper", retainedSpec(namespace));
    awaitConditionIn(namespace, "keeper", "Ready", "True", "AllPartsReady");
    assertThat(RoleTrust.subjects(trustPolicy(roleName))).containsExactly(serviceAccount);
    assertThat(roleTags(roleName)).doesNotContainKeys(WorkloadRole.TAG_RETAINED, TrustCut.TAG);
    assertThat(eventReasonsIn(namespace, "keeper")).doesNotContain("NotOwned");
    // The adoption is told in the Event of the reconciliation that made it.
    assertThat(eventsIn(namespace, "keeper"))
        .anyMatch(
            event ->
                (event.startsWith("Ready: ") || event.startsWith("Updated: "))
                    && event.contains("Updated IAM role " + roleName + " (adopted again"));

    deleteRoleAndWorkload(namespace, "keeper", roleName);
    second.stop();
  }

  /**
   * The attack: the namespace of a retained role is deleted, and someone makes one of the same name
   * (a new uid) with a SecureWorkload of the same name. The role's trust stays cut and the operator
   * does not adopt the role: the workload says why, and nothing of the role changes in AWS.
   */
  @Test
  void aRetainedRoleIsRefusedToANamespaceOfTheSameNameMadeAgain() {
    var namespace = retainingNamespace();
    var second = operatorWatching(namespace);
    var roleName = ENV.roleName(namespace, "keeper");
    createIn(namespace, "keeper", retainedSpec(namespace));
    awaitConditionIn(namespace, "keeper", "Ready", "True", "AllPartsReady");
    deleteAndAwaitGone(namespace, "keeper");
    var firstUid = namespaceUid(namespace);
    var cutTrust = trustPolicy(roleName);
    var cutTags = roleTags(roleName);

    var impostorUid = Namespaces.recreate(admin, namespace);
    assertThat(impostorUid).isNotEqualTo(firstUid);
    createIn(namespace, "keeper", retainedSpec(namespace));

    var refused = awaitConditionIn(namespace, "keeper", "IAMRoleReady", "False", "CutRoleNotOwned");
    var ready = WorkloadAssertions.condition(refused, "Ready");
    assertThat(ready.getReason()).isEqualTo("CutRoleNotOwned");
    assertThat(ready.getMessage()).contains(roleName).contains(firstUid).contains(impostorUid);
    assertThat(WorkloadAssertions.condition(refused, "Stalled").getStatus()).isEqualTo("True");
    assertThat(eventReasonsIn(namespace, "keeper")).containsOnlyOnce("NotOwned");
    await().pollDelay(SETTLE).atMost(Duration.ofSeconds(10)).until(() -> true);
    assertThat(PolicyDocuments.equivalent(trustPolicy(roleName), cutTrust)).isTrue();
    assertTrustCut(roleName);
    assertThat(roleTags(roleName)).isEqualTo(cutTags);

    // Its deletion (Retain or not) leaves the role as it is too.
    deleteAndAwaitGone(namespace, "keeper");
    assertThat(roleTags(roleName)).isEqualTo(cutTags);
    deleteRole(roleName);
    second.stop();
  }

  /**
   * A role of this cluster whose SecureWorkload went without the operator's cleanup can no longer
   * be assumed after the next orphan sweep, with {@code SW_ORPHAN_POLICY=Report} (the default) as
   * with Delete: Report keeps the role, not its trust.
   */
  @Test
  void theOrphanSweepCutsAnOrphansTrustInReportMode() {
    var namespace = namespace("gr-" + Long.toHexString(System.nanoTime()));
    var roleName = ENV.roleName(namespace, "gone");
    var gone = workload("gone", retainedSpec(namespace));
    gone.getMetadata().setNamespace(namespace);
    var settings = ENV.settings();
    iam.createRole(
        r ->
            r.roleName(roleName)
                .path(settings.rolePath())
                .assumeRolePolicyDocument(
                    new WorkloadRole(settings, () -> MotoServer.ACCOUNT_ID).trustPolicy(gone))
                .tags(
                    tag(WorkloadRole.TAG_MANAGED_BY, SecureWorkload.MANAGED_BY),
                    tag(WorkloadRole.TAG_CLUSTER, OperatorTestEnvironment.CLUSTER),
                    tag(WorkloadRole.TAG_ISSUER, settings.oidcProviderHostPath()),
                    tag(WorkloadRole.TAG_NAMESPACE, namespace),
                    tag(WorkloadRole.TAG_NAMESPACE_UID, namespaceUid(namespace)),
                    tag(WorkloadRole.TAG_NAME, "gone")));
    assertThat(RoleTrust.subjects(trustPolicy(roleName)))
        .containsExactly("system:serviceaccount:" + namespace + ":gone");

    var sweeping =
        operatorWatching(
            s -> s.toBuilder().awsDriftPeriod(Duration.ofSeconds(2)).build(), namespace);
    assertThat(settings.orphanPolicy()).isEqualTo(OperatorSettings.OrphanPolicy.Report);

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> roleTags(roleName).containsKey(TrustCut.TAG));
    assertTrustCut(roleName);
    assertThat(roleTags(roleName))
        .containsEntry(TrustCut.TAG, "orphaned")
        .doesNotContainKey(WorkloadRole.TAG_RETAINED);
    sweeping.stop();
    deleteRole(roleName);
  }

  /** No ServiceAccount of any namespace is let in; the STS audience stays. */
  private void assertTrustCut(String roleName) {
    var trust = trustPolicy(roleName);
    assertThat(RoleTrust.subjects(trust))
        .as(trust)
        .isNotEmpty()
        .noneMatch(subject -> subject.startsWith("system:serviceaccount:"))
        .noneMatch(subject -> subject.contains("*") || subject.contains("?"));
    assertThat(trust).contains(":aud").contains(PolicyDocuments.STS_AUDIENCE);
  }

  /** A namespace of its own whose policy allows {@code deletionPolicy: Retain}. */
  private String retainingNamespace() {
    var name = namespace("gr-" + Long.toHexString(System.nanoTime()));
    policy(
        """
        metadata: {name: %s}
        spec:
          namespaces: [%s]
          iam: {permissionsBoundaryArn: %s, allowRetain: true}
        """
            .formatted("boundary-" + name, name, OperatorTestEnvironment.BOUNDARY));
    return name;
  }

  private static String retainedSpec(String namespace) {
    return "selector: {matchLabels: {app: keeper}}\n"
        + "iam:\n"
        + "  statements: [{actions: [s3:GetObject], resources: ['arn:aws:s3:::"
        + namespace
        + ".b/*']}]\n"
        + "  deletionPolicy: Retain\n";
  }

  private void createIn(String namespace, String name, String spec) {
    admin.resource(workload(name, spec)).inNamespace(namespace).create();
  }

  private SecureWorkload awaitConditionIn(
      String namespace, String name, String type, String status, String reason) {
    var workloads = admin.resources(SecureWorkload.class).inNamespace(namespace).withName(name);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              var workload = workloads.get();
              var condition = WorkloadAssertions.condition(workload, type);
              assertThat(condition).as(Serialization.asYaml(workload)).isNotNull();
              assertThat(condition.getStatus() + " " + condition.getReason())
                  .as(Serialization.asYaml(workload))
                  .isEqualTo(status + " " + reason);
            });
    return workloads.get();
  }

  /** Deletes the workload, waits until the operator lets it go, and collects its children. */
  private void deleteAndAwaitGone(String namespace, String name) {
    var workload = admin.resources(SecureWorkload.class).inNamespace(namespace).withName(name);
    workload.delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> workload.get() == null);
    // The garbage collector's part, which a bare API server does not play.
    admin.serviceAccounts().inNamespace(namespace).withName(name).delete();
  }

  /** The role goes with its workload once the workload no longer retains it. */
  private void deleteRoleAndWorkload(String namespace, String name, String roleName) {
    admin
        .resources(SecureWorkload.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            w -> {
              w.getSpec().getIam().setDeletionPolicy(IamSpec.DeletionPolicy.Delete);
              return w;
            });
    deleteAndAwaitGone(namespace, name);
    assertThat(roleExists(roleName)).isFalse();
  }

  /** Reasons of the Events recorded on the workload of that name as it is now. */
  private List<String> eventReasonsIn(String namespace, String name) {
    return eventsIn(namespace, name).stream().map(event -> event.split(":", 2)[0]).toList();
  }

  /** The Events recorded on the workload of that name as it is now, as "Reason: message". */
  private List<String> eventsIn(String namespace, String name) {
    var uid =
        admin
            .resources(SecureWorkload.class)
            .inNamespace(namespace)
            .withName(name)
            .get()
            .getMetadata()
            .getUid();
    return admin.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> uid.equals(e.getInvolvedObject().getUid()))
        .map(e -> e.getReason() + ": " + e.getMessage())
        .toList();
  }

  private String namespaceUid(String namespace) {
    return admin.namespaces().withName(namespace).get().getMetadata().getUid();
  }

  private String trustPolicy(String roleName) {
    return PolicyDocuments.decode(
        iam.getRole(r -> r.roleName(roleName)).role().assumeRolePolicyDocument());
  }

  private java.util.Map<String, String> roleTags(String roleName) {
    return iam.listRoleTags(r -> r.roleName(roleName)).tags().stream()
        .collect(java.util.stream.Collectors.toMap(Tag::key, Tag::value));
  }

  /** A role the operator leaves in AWS, removed by the test as a person would. */
  private void deleteRole(String roleName) {
    for (var policy : iam.listRolePolicies(r -> r.roleName(roleName)).policyNames()) {
      iam.deleteRolePolicy(r -> r.roleName(roleName).policyName(policy));
    }
    iam.deleteRole(r -> r.roleName(roleName));
  }

  @Test
  void aPolicySaysWhatItGovernsAndTwoBoundariesForOneNamespaceAreAConflictOnBoth() {
    var namespace = namespace("gr-" + Long.toHexString(System.nanoTime()));
    var second = operatorWatching(namespace);
    var client = admin;
    client
        .resource(
            workload(
                "fine",
                "selector: {matchLabels: {app: a}}\n"
                    + statement("s3:GetObject", "arn:aws:s3:::" + namespace + ".b/*")))
        .inNamespace(namespace)
        .create();
    client
        .resource(
            workload(
                "wild", "selector: {matchLabels: {app: b}}\n" + statement("s3:PutObject", "*")))
        .inNamespace(namespace)
        .create();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              var status = policyStatus("boundary-" + namespace);
              assertThat(status.getMatchedNamespaces()).isEqualTo(1);
              assertThat(status.getMatchedWorkloads()).isEqualTo(2);
              assertThat(status.getWorkloadsInViolation()).isEqualTo(1);
              assertThat(status.getConditions())
                  .singleElement()
                  .satisfies(c -> assertThat(c.getReason()).isEqualTo("Enforcing"));
            });

    policy(
        """
        metadata: {name: %s}
        spec:
          namespaces: [%s]
          iam: {permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/another-boundary'}
        """
            .formatted("rival-" + namespace, namespace));

    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (var name : List.of("boundary-" + namespace, "rival-" + namespace)) {
                assertThat(policyStatus(name).getConditions())
                    .singleElement()
                    .satisfies(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("False");
                          assertThat(c.getReason()).isEqualTo("Conflict");
                        });
              }
              var fine =
                  client
                      .resources(SecureWorkload.class)
                      .inNamespace(namespace)
                      .withName("fine")
                      .get();
              assertThat(WorkloadAssertions.condition(fine, "Ready").getMessage())
                  .contains("different permissions boundaries");
            });
    client.resources(SecureWorkload.class).inNamespace(namespace).delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                client
                    .resources(SecureWorkload.class)
                    .inNamespace(namespace)
                    .list()
                    .getItems()
                    .isEmpty());
    second.stop();
  }

  private io.secureworkload.operator.api.SecureWorkloadPolicyStatus policyStatus(String name) {
    var policy = admin.resources(SecureWorkloadPolicy.class).withName(name).get();
    assertThat(policy.getStatus()).as("status of " + name).isNotNull();
    return policy.getStatus();
  }

  /**
   * Every inline policy the operator writes under the default guardrails, for allowed and hostile
   * specs alike, passes an independent IAM policy linter (cloudsplaining, installed by make moto)
   * without a privilege escalation, credentials exposure or resource exposure finding.
   */
  @Test
  void everyInlinePolicyTheOperatorWritesPassesAnIndependentLinter() throws Exception {
    var ns = operator.getNamespace();
    var specs = new ArrayList<String>();
    specs.add(statement("s3:GetObject", own("reports/*")));
    specs.add(statement("s3:ListBucket", own("reports")));
    specs.add(statement("sqs:*Message", "arn:aws:sqs:us-west-2:123456789012:" + ns + "_orders"));
    specs.add(
        statement("dynamodb:Get*", "arn:aws:dynamodb:us-west-2:123456789012:table/" + ns + ".t"));
    specs.add(statement("kms:Decrypt", "arn:aws:kms:us-west-2:123456789012:key/*"));
    specs.add(statement("cloudwatch:PutMetricData", "*"));
    specs.add(statement("ec2:DescribeInstances", "*"));
    specs.add(
        "secrets:\n  objects: [{name: NS/db, type: secretsmanager}, {name: /NS/flags, type: ssmparameter}]\n"
                .replace("NS", ns)
            + "  kmsKeyArns: ['arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab']");
    attacks().forEach(attack -> specs.add(((String) attack.get()[1]).replace("NS", ns)));
    DefaultGuardrails.escalationFloor().stream()
        .limit(40)
        .forEach(action -> specs.add(statement(action, "*")));
    for (int i = 0; i < specs.size(); i++) {
      try {
        create("lint-" + i, specs.get(i));
      } catch (KubernetesClientException refusedAtAdmission) {
        specs.set(i, null);
      }
    }
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i) != null) {
        var name = "lint-" + i;
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  var w = operator.get(SecureWorkload.class, name);
                  return w.getStatus() != null
                      && w.getStatus().getConditions().stream()
                          .anyMatch(
                              c ->
                                  "Ready".equals(c.getType())
                                      && !c.getReason().equals("WaitingForDependencies"));
                });
      }
    }
    await().pollDelay(SETTLE).atMost(Duration.ofSeconds(10)).until(() -> true);

    var written = new ArrayList<String>();
    for (int i = 0; i < specs.size(); i++) {
      var roleName = ENV.roleName(ns, "lint-" + i);
      if (specs.get(i) == null || !roleExists(roleName)) {
        continue;
      }
      for (var name : iam.listRolePolicies(r -> r.roleName(roleName)).policyNames()) {
        written.add(
            PolicyDocuments.decode(
                iam.getRolePolicy(r -> r.roleName(roleName).policyName(name)).policyDocument()));
      }
    }
    assertThat(written).as("inline policies written").hasSizeGreaterThanOrEqualTo(6);
    for (var policy : written) {
      var findings = lint(policy);
      assertThat(findings)
          .as(policy)
          .doesNotContain("Privilege Escalation")
          .doesNotContain("Credentials Exposure")
          .doesNotContain("Resource Exposure");
      if (findings.contains("Data Exfiltration")) {
        assertThat(resourcesOf(policy, ns))
            .as("a data-exfiltration finding on ARNs of other namespaces: %s", policy)
            .allMatch(arn -> isTheNamespaces(arn, ns));
      }
    }
  }

  /**
   * The resources of the policy's statements, a key reached only through the namespace's alias
   * named by that alias.
   */
  private static List<String> resourcesOf(String policy, String namespace) {
    var resources = new ArrayList<String>();
    PolicyDocuments.normalise(policy)
        .get("Statement")
        .forEach(
            statement -> {
              var aliases = statement.at("/Condition/ForAnyValue:StringLike/kms:ResourceAliases");
              boolean byAlias = aliases.toString().contains("alias/" + namespace + "/");
              statement
                  .get("Resource")
                  .forEach(
                      r ->
                          resources.add(
                              byAlias ? "arn:aws:kms:::alias/" + namespace + "/" : r.asText()));
            });
    return resources;
  }

  /** Named by the namespace's own convention: the name starts with it and a separator. */
  private static boolean isTheNamespaces(String arn, String namespace) {
    var name = arn.split(":", 6)[5];
    return List.of(namespace + ".", namespace + "_", namespace + "/").stream()
        .anyMatch(
            prefix ->
                name.startsWith(prefix)
                    || name.contains("/" + prefix)
                    || name.contains(":" + prefix));
  }

  private static String lint(String policy) throws Exception {
    var file = java.nio.file.Files.createTempFile("inline-policy", ".json");
    java.nio.file.Files.writeString(file, policy);
    var linter =
        io.secureworkload.operator.testsupport.TestPaths.repoRoot()
            .resolve(".venv/bin/cloudsplaining");
    var process =
        new ProcessBuilder(
                linter.toString(),
                "scan-policy-file",
                "--flag-all-risky-actions",
                "--input-file",
                file.toString())
            .redirectErrorStream(true)
            .start();
    var output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(output).isZero();
    java.nio.file.Files.delete(file);
    return output;
  }

  private static Arguments attack(String name, String spec, String field) {
    return Arguments.of(name, spec, field);
  }

  private static String statement(String action, String resource) {
    return "iam: {statements: [{actions: [%s], resources: ['%s']}]}".formatted(action, resource);
  }

  /** An S3 ARN of this namespace's own: the bucket name starts with the namespace and a dot. */
  private String own(String bucketAndKey) {
    return "arn:aws:s3:::" + operator.getNamespace() + "." + bucketAndKey;
  }

  private static String resourcePath() {
    return "spec.iam.statements[0].resources[0]";
  }

  private static String actionPath() {
    return "spec.iam.statements[0].actions[0]";
  }

  private void create(String name, String spec) {
    operator.create(workload(name, "selector: {matchLabels: {app: " + name + "}}\n" + spec));
  }

  private void policy(String yaml) {
    var policy =
        Serialization.unmarshal(
            "apiVersion: secureworkload.io/v1alpha1\nkind: SecureWorkloadPolicy\n" + yaml,
            SecureWorkloadPolicy.class);
    admin.resource(policy).serverSideApply();
    policies.add(policy.getMetadata().getName());
  }

  /** This policy in place of the test namespace's boundary-only one. */
  private void governedOnlyBy(String yaml) {
    policy(yaml);
    var boundaryOnly = "boundary-" + operator.getNamespace();
    admin.resources(SecureWorkloadPolicy.class).withName(boundaryOnly).delete();
    policies.remove(boundaryOnly);
  }

  /** Takes the namespace out of the ITs' permissive policy. */
  private void ownGuardrails(String namespace) {
    admin
        .namespaces()
        .withName(namespace)
        .edit(
            n -> {
              n.getMetadata().getLabels().put(OperatorTestEnvironment.OWN_GUARDRAILS_LABEL, "true");
              return n;
            });
  }

  private String namespace(String name) {
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(OperatorTestEnvironment.OWN_GUARDRAILS_LABEL, "true")
                .endMetadata()
                .build())
        .create();
    namespaces.add(name);
    if (!name.startsWith("gr-unbounded-")) {
      policy(
          """
          metadata: {name: %s}
          spec:
            namespaces: [%s]
            iam: {permissionsBoundaryArn: %s}
          """
              .formatted("boundary-" + name, name, OperatorTestEnvironment.BOUNDARY));
    }
    return name;
  }

  /** No role, and no ServiceAccount the operator made for the workload. */
  private void assertNothingInAwsFor(String workloadName) {
    assertThat(roleExists(ENV.roleName(operator.getNamespace(), workloadName)))
        .as("role of %s", workloadName)
        .isFalse();
  }

  /** None of the workload's three NetworkPolicies. */
  private void assertNoNetworkPolicyFor(String namespace, String workloadName) {
    for (var suffix : List.of("-default-deny", "-ingress", "-egress")) {
      assertThat(
              admin
                  .network()
                  .v1()
                  .networkPolicies()
                  .inNamespace(namespace)
                  .withName(workloadName + suffix)
                  .get())
          .as("NetworkPolicy %s%s", workloadName, suffix)
          .isNull();
    }
  }

  private NetworkPolicy networkPolicy(String name) {
    var policy =
        admin
            .network()
            .v1()
            .networkPolicies()
            .inNamespace(operator.getNamespace())
            .withName(name)
            .get();
    assertThat(policy).as("NetworkPolicy %s", name).isNotNull();
    return policy;
  }

  private boolean roleExists(String roleName) {
    try {
      iam.getRole(r -> r.roleName(roleName));
      return true;
    } catch (NoSuchEntityException e) {
      return false;
    }
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }
}
