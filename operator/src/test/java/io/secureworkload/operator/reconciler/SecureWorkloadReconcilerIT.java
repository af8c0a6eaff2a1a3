package io.secureworkload.operator.reconciler;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.junit.LocallyRunOperatorExtension;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.dependent.ServiceAccountDependentResource;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.WorkloadAssertions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Tag;

/** The IAM role and the ServiceAccount, end to end on a real API server and moto. */
class SecureWorkloadReconcilerIT {

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();
  private static final OperatorTestEnvironment ENV = new OperatorTestEnvironment(MOTO.server());
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension final LocallyRunOperatorExtension operator = ENV.operatorExtension();

  private final IamClient iam = ENV.iamClient();
  private WorkloadAssertions workloads;

  @BeforeEach
  void watchWorkloads() {
    workloads = new WorkloadAssertions(operator);
  }

  @Test
  void createsTheRoleWithAnExactTrustPolicyAndAnnotatesTheServiceAccount() {
    operator.create(
        workload(
            "payments",
            """
        selector: {matchLabels: {app: payments}}
        serviceAccount: {name: payments-sa, tokenExpirationSeconds: 3600, stsRegionalEndpoints: true}
        iam:
          maxSessionDurationSeconds: 7200
          statements:
          - sid: ReadBucket
            actions: [s3:GetObject, s3:ListBucket]
            resources: ["arn:aws:s3:::payments", "arn:aws:s3:::payments/*"]
        """));

    var ready = workloads.awaitReady("payments");

    var roleName = roleName("payments");
    var role = iam.getRole(r -> r.roleName(roleName)).role();
    assertThat(role.path()).isEqualTo("/secureworkload/");
    assertThat(role.maxSessionDuration()).isEqualTo(7200);
    assertThat(ready.getStatus().getRoleArn()).isEqualTo(role.arn());
    assertThat(role.arn())
        .isEqualTo("arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/secureworkload/" + roleName);
    var issuer = OperatorTestEnvironment.ISSUER.substring("https://".length());
    assertThat(PolicyDocuments.normalise(role.assumeRolePolicyDocument()))
        .isEqualTo(
            PolicyDocuments.normalise(
                """
            {"Version": "2012-10-17", "Statement": [{
              "Effect": "Allow",
              "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/%s"},
              "Action": "sts:AssumeRoleWithWebIdentity",
              "Condition": {"StringEquals": {
                "%s:sub": "system:serviceaccount:%s:payments-sa",
                "%s:aud": "sts.amazonaws.com"}}}]}
            """
                    .formatted(issuer, issuer, operator.getNamespace(), issuer)));
    assertThat(iam.listRoleTags(r -> r.roleName(roleName)).tags())
        .extracting(Tag::key, Tag::value)
        .contains(
            tuple("secureworkload.io/managed-by", "secure-workload-operator"),
            tuple("secureworkload.io/cluster", OperatorTestEnvironment.CLUSTER),
            tuple("secureworkload.io/namespace", operator.getNamespace()),
            tuple("secureworkload.io/name", "payments"));
    assertThat(PolicyDocuments.normalise(ENV.inlinePolicy(roleName)))
        .isEqualTo(
            PolicyDocuments.normalise(
                """
            {"Version": "2012-10-17", "Statement": [{"Sid": "ReadBucket", "Effect": "Allow",
              "Action": ["s3:ListBucket", "s3:GetObject"],
              "Resource": ["arn:aws:s3:::payments/*", "arn:aws:s3:::payments"],
              "Condition": {"StringEquals": {"aws:ResourceAccount": "123456789012"}}}]}
            """));

    var serviceAccount = operator.get(ServiceAccount.class, "payments-sa");
    assertThat(serviceAccount.getMetadata().getAnnotations())
        .containsEntry(ServiceAccountDependentResource.ROLE_ARN, role.arn())
        .containsEntry(ServiceAccountDependentResource.STS_REGIONAL_ENDPOINTS, "true")
        .containsEntry(ServiceAccountDependentResource.TOKEN_EXPIRATION, "3600");
    assertThat(serviceAccount.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "secure-workload-operator");
    assertThat(serviceAccount.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(ready.getMetadata().getUid()));
    assertThat(ready.getStatus().getServiceAccountName()).isEqualTo("payments-sa");
    // One Event for the whole creation, naming what was made.
    assertThat(workloads.events("payments")).containsExactly("Ready");
    assertThat(workloads.normalEvents("payments"))
        .containsExactly("Ready: Ready: IAM role " + role.arn() + ", ServiceAccount payments-sa");
    assertThat(ready.getStatus().getObservedGeneration())
        .isEqualTo(ready.getMetadata().getGeneration());
    assertThat(ready.getStatus().getConditions())
        .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactly(
            tuple("Ready", "True", "AllPartsReady"),
            tuple("Reconciling", "False", "AllPartsReady"),
            tuple("Stalled", "False", "AllPartsReady"),
            tuple("GuardrailCompliant", "True", "Compliant"),
            tuple("IAMRoleReady", "True", "InSync"),
            tuple("ServiceAccountReady", "True", "InSync"),
            tuple("SecretsReady", "True", "NotRequested"),
            tuple("SecurityGroupsReady", "True", "NotRequested"),
            tuple("NetworkPoliciesReady", "True", "NotRequested"));
  }

  @Test
  void changedStatementsRewriteOnlyTheInlinePolicy() {
    var created =
        operator.create(
            workload(
                "reports",
                """
        selector: {matchLabels: {app: reports}}
        iam:
          statements: [{actions: [s3:GetObject], resources: ["arn:aws:s3:::reports/*"]}]
        """));
    workloads.awaitReady("reports");
    var writesBefore = ENV.writes();
    var putsBefore = ENV.calls("PutRolePolicy");

    created = operator.get(SecureWorkload.class, "reports");
    created.getSpec().getIam().getStatements().get(0).getActions().add("s3:PutObject");
    operator.replace(created);

    var roleName = roleName("reports");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(ENV.inlinePolicy(roleName))
                    .contains("s3:PutObject")
                    .contains("s3:GetObject"));
    var updated = workloads.awaitReady("reports");
    assertThat(updated.getStatus().getObservedGeneration()).isEqualTo(2L);
    assertThat(ENV.calls("PutRolePolicy") - putsBefore).isEqualTo(1);
    assertThat(ENV.writes() - writesBefore).isEqualTo(1);
    // One Event for the change, naming the role and what was written to it.
    assertThat(workloads.normalEvents("reports"))
        .filteredOn(event -> !event.startsWith("Ready: "))
        .containsExactly("Updated: Updated IAM role " + roleName + " (PutRolePolicy).");
  }

  @Test
  void deletingTheWorkloadDeletesItsRole() {
    operator.create(
        workload(
            "ephemeral",
            """
        selector: {matchLabels: {app: ephemeral}}
        iam:
          statements: [{actions: [sqs:SendMessage], resources: ["arn:aws:sqs:us-west-2:123456789012:q"]}]
        """));
    workloads.awaitReady("ephemeral");
    var roleName = roleName("ephemeral");

    operator.delete(operator.get(SecureWorkload.class, "ephemeral"));

    await().atMost(TIMEOUT).until(() -> operator.get(SecureWorkload.class, "ephemeral") == null);
    assertThat(roleExists(roleName)).isFalse();
  }

  @Test
  void retainedRoleOutlivesTheWorkload() {
    operator.create(
        workload(
            "keeper",
            """
        selector: {matchLabels: {app: keeper}}
        iam:
          deletionPolicy: Retain
          statements: [{actions: [sqs:SendMessage], resources: ["arn:aws:sqs:us-west-2:123456789012:q"]}]
        """));
    workloads.awaitReady("keeper");

    operator.delete(operator.get(SecureWorkload.class, "keeper"));

    await().atMost(TIMEOUT).until(() -> operator.get(SecureWorkload.class, "keeper") == null);
    var roleName = roleName("keeper");
    assertThat(roleExists(roleName)).isTrue();
    assertThat(ENV.inlinePolicy(roleName)).contains("sqs:SendMessage");
  }

  @Test
  void aRoleWithOurNameButNotOurTagsIsLeftUntouchedAndReported() {
    var roleName = roleName("squatter");
    var foreignTrust =
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    iam.createRole(
        r -> r.roleName(roleName).path("/secureworkload/").assumeRolePolicyDocument(foreignTrust));

    operator.create(
        workload(
            "squatter",
            """
        selector: {matchLabels: {app: squatter}}
        iam:
          statements: [{actions: [s3:GetObject], resources: ["*"]}]
        network: {}
        """));

    var reported = workloads.awaitCondition("squatter", "IAMRoleReady", "False", "RoleNotOwned");
    assertThat(WorkloadAssertions.condition(reported, "Ready"))
        .satisfies(
            ready -> {
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("RoleNotOwned");
              assertThat(ready.getMessage()).contains(roleName).contains("not tagged");
            });
    assertThat(WorkloadAssertions.condition(reported, "Stalled").getStatus()).isEqualTo("True");
    // The ServiceAccount is settled first and is ours; the role it names stays someone else's.
    assertThat(operator.get(ServiceAccount.class, "squatter").getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(owner -> assertThat(owner.getName()).isEqualTo("squatter"));
    var writes = ENV.writes();
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
    var role = iam.getRole(r -> r.roleName(roleName)).role();
    assertThat(PolicyDocuments.equivalent(role.assumeRolePolicyDocument(), foreignTrust)).isTrue();
    assertThat(iam.listRolePolicies(r -> r.roleName(roleName)).policyNames()).isEmpty();
    assertThat(iam.listRoleTags(r -> r.roleName(roleName)).tags()).isEmpty();
    assertThat(ENV.writes()).isEqualTo(writes);
    assertThat(workloads.events("squatter")).containsOnlyOnce("NotOwned");
    assertThat(workloads.events("squatter")).doesNotContain("ReconcileFailed");

    // A change to one of its NetworkPolicies reconciles the workload again: the conflict is
    // still reported in the status, but not recorded as a second Event.
    var reads = ENV.calls("GetRole");
    var policy = operator.get(NetworkPolicy.class, "squatter-default-deny");
    policy.getMetadata().getLabels().put("team", "payments");
    operator.replace(policy);
    await().atMost(TIMEOUT).until(() -> ENV.calls("GetRole") > reads);
    await().pollDelay(Duration.ofSeconds(2)).atMost(TIMEOUT).until(() -> true);
    assertThat(workloads.events("squatter")).containsOnlyOnce("NotOwned");
    assertThat(ENV.writes()).isEqualTo(writes);

    operator.delete(operator.get(SecureWorkload.class, "squatter"));
    await().atMost(TIMEOUT).until(() -> operator.get(SecureWorkload.class, "squatter") == null);
    assertThat(roleExists(roleName)).isTrue();
  }

  @Test
  void aServiceAccountTheOperatorDidNotCreateIsNotTakenOver() {
    operator.create(
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName("shared")
            .withAnnotations(Map.of("team", "platform"))
            .endMetadata()
            .build());

    operator.create(
        workload(
            "intruder",
            """
        selector: {matchLabels: {app: intruder}}
        serviceAccount: {name: shared}
        """));

    workloads.awaitCondition("intruder", "ServiceAccountReady", "False", "ServiceAccountNotOwned");
    var shared = operator.get(ServiceAccount.class, "shared");
    assertThat(shared.getMetadata().getAnnotations())
        .doesNotContainKey(ServiceAccountDependentResource.ROLE_ARN);
    assertThat(shared.getMetadata().getOwnerReferences()).isEmpty();
  }

  @Test
  void aHandEditedRoleArnAnnotationIsRestored() {
    operator.create(workload("drift", "selector: {matchLabels: {app: drift}}\n"));
    var ready = workloads.awaitReady("drift");

    var serviceAccount = operator.get(ServiceAccount.class, "drift");
    serviceAccount
        .getMetadata()
        .getAnnotations()
        .put(ServiceAccountDependentResource.ROLE_ARN, "arn:aws:iam::999999999999:role/admin");
    operator.replace(serviceAccount);

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        operator.get(ServiceAccount.class, "drift").getMetadata().getAnnotations())
                    .containsEntry(
                        ServiceAccountDependentResource.ROLE_ARN, ready.getStatus().getRoleArn()));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(workloads.normalEvents("drift"))
                    .contains(
                        "DriftRepaired: Repaired changes made outside the operator to"
                            + " ServiceAccount drift."));
  }

  @Test
  void aReadyWorkloadMakesNoFurtherWrites() {
    iam.createPolicy(
        r ->
            r.policyName("steady-read")
                .policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"*\"}]}"));
    operator.create(
        workload(
            "steady",
            """
        selector: {matchLabels: {app: steady}}
        serviceAccount: {stsRegionalEndpoints: false}
        iam:
          managedPolicyArns: ["arn:aws:iam::123456789012:policy/steady-read"]
          statements:
          - actions: [dynamodb:GetItem, dynamodb:Query]
            resources: ["arn:aws:dynamodb:us-west-2:123456789012:table/t"]
            conditions: {StringEquals: {"aws:RequestedRegion": [us-west-2]}}
        """));
    workloads.awaitReady("steady");
    await().pollDelay(Duration.ofSeconds(2)).atMost(TIMEOUT).until(() -> true);
    var writes = ENV.writes();
    var reads = ENV.calls("GetRole");
    var serviceAccountVersion =
        operator.get(ServiceAccount.class, "steady").getMetadata().getResourceVersion();
    var workloadVersion =
        operator.get(SecureWorkload.class, "steady").getMetadata().getResourceVersion();

    // An unrelated label on the ServiceAccount wakes the reconciler without changing anything it
    // owns.
    var serviceAccount = operator.get(ServiceAccount.class, "steady");
    serviceAccount.getMetadata().getLabels().put("team", "payments");
    operator.replace(serviceAccount);
    var touchedVersion =
        operator.get(ServiceAccount.class, "steady").getMetadata().getResourceVersion();
    assertThat(touchedVersion).isNotEqualTo(serviceAccountVersion);

    // The reconciliation it triggers knows the role means what it should: no IAM read either.
    await().pollDelay(Duration.ofSeconds(3)).atMost(TIMEOUT).until(() -> true);
    assertThat(ENV.calls("GetRole")).isEqualTo(reads);
    assertThat(ENV.writes()).isEqualTo(writes);
    assertThat(operator.get(ServiceAccount.class, "steady").getMetadata().getResourceVersion())
        .isEqualTo(touchedVersion);
    assertThat(operator.get(SecureWorkload.class, "steady").getMetadata().getResourceVersion())
        .isEqualTo(workloadVersion);
  }

  @Test
  void aPolicyIamRejectsIsReportedOnceNamingTheFieldLeavesNoRoleAndIsNotRetriedInALoop() {
    operator.create(
        workload(
            "broken",
            """
        selector: {matchLabels: {app: broken}}
        iam:
          managedPolicyArns: ["arn:aws:iam::123456789012:policy/does-not-exist"]
        """));

    var reported = workloads.awaitCondition("broken", "IAMRoleReady", "False", "AwsRejected");
    assertThat(WorkloadAssertions.condition(reported, "IAMRoleReady").getMessage())
        .startsWith("spec.iam.managedPolicyArns: AttachRolePolicy failed: NoSuchEntity")
        .contains("policy/does-not-exist")
        .contains("deleted again");
    assertThat(roleExists(roleName("broken"))).as("the role made before IAM refused").isFalse();
    assertThat(WorkloadAssertions.condition(reported, "Ready").getStatus()).isEqualTo("False");
    assertThat(WorkloadAssertions.condition(reported, "Stalled").getStatus()).isEqualTo("True");
    assertThat(WorkloadAssertions.condition(reported, "Reconciling").getStatus())
        .isEqualTo("False");
    var attempts = ENV.calls("AttachRolePolicy");
    await().pollDelay(Duration.ofSeconds(6)).atMost(TIMEOUT).until(() -> true);
    assertThat(ENV.calls("AttachRolePolicy")).isEqualTo(attempts);
  }

  private String roleName(String workloadName) {
    return ENV.roleName(operator.getNamespace(), workloadName);
  }

  private boolean roleExists(String roleName) {
    return MotoServer.roleExists(iam, roleName);
  }
}
