package io.secureworkload.operator.accounts;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.junit.LocallyRunOperatorExtension;
import io.secureworkload.operator.OperatorAssembly;
import io.secureworkload.operator.api.Condition;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.aws.AwsAccounts;
import io.secureworkload.operator.dependent.ServiceAccountDependentResource;
import io.secureworkload.operator.iam.PolicyDocuments;
import io.secureworkload.operator.iam.TrustCut;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.outcome.ConditionReason;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.WorkloadAssertions;
import io.secureworkload.operator.testsupport.faults.Fault;
import io.secureworkload.operator.testsupport.faults.FaultProxyExtension;
import io.secureworkload.operator.testsupport.faults.FaultRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * Workloads whose roles live in other accounts, on the real API server and moto. moto scopes IAM to
 * an account when it is called with the credentials its AssumeRole returned for a role there
 * (checked by {@link #motoScopesIamToTheAssumedAccount}); it checks no trust and no external id, so
 * STS's refusals and a hanging STS come from the fault proxy, picked by the role ARN asked for.
 */
class MultiAccountIT {

  static final String ACCOUNT_B = "222222222222";
  static final String ACCOUNT_C = "333333333333";
  static final String ACCOUNT_D = "444444444444";
  static final String OPERATOR_NAMESPACE = "sw-operator-accounts";
  static final String EXTERNAL_ID = "b-external-id-7f3a";

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();

  @RegisterExtension
  static final FaultProxyExtension PROXY = FaultProxyExtension.inFrontOf(MOTO).startedEagerly();

  // One operator assembly per test: a moto reset forgets the credentials its AssumeRole handed
  // out, and calls made with them afterwards land in the default account.
  private final OperatorTestEnvironment env =
      new OperatorTestEnvironment(
          PROXY.endpoint(),
          MOTO.endpoint(),
          builder ->
              builder
                  .awsDriftPeriod(Duration.ofSeconds(3))
                  .stsTimeout(Duration.ofSeconds(3))
                  .operatorNamespace(java.util.Optional.of(OPERATOR_NAMESPACE)));

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String MINIMAL = "selector: {matchLabels: {app: api}}";

  @RegisterExtension final LocallyRunOperatorExtension operator = env.operatorExtension();

  private final KubernetesClient admin = KubeApiServer.get().newClient();
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> policies = new ArrayList<>();
  private final IamClient homeIam = env.iamClient();
  private WorkloadAssertions workloads;

  @BeforeEach
  void setUp() {
    workloads = new WorkloadAssertions(operator);
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(OPERATOR_NAMESPACE)
                .endMetadata()
                .build())
        .serverSideApply();
    admin
        .secrets()
        .inNamespace(OPERATOR_NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("account-b")
                .endMetadata()
                .addToStringData("externalId", EXTERNAL_ID)
                .build())
        .serverSideApply();
    MOTO.server().provisionClusters(credentialsIn(ACCOUNT_B));
  }

  @AfterEach
  void tearDown() {
    policies.forEach(name -> admin.resources(SecureWorkloadPolicy.class).withName(name).delete());
    namespaces.forEach(name -> admin.namespaces().withName(name).delete());
    admin.close();
  }

  @Test
  void motoScopesIamToTheAssumedAccount() {
    try (var iamB = iamIn(ACCOUNT_B)) {
      iamB.createRole(r -> r.roleName("only-in-b").assumeRolePolicyDocument("{}"));

      assertThat(iamB.getRole(r -> r.roleName("only-in-b")).role().arn())
          .startsWith("arn:aws:iam::" + ACCOUNT_B + ":");
      assertThatThrownBy(() -> homeIam.getRole(r -> r.roleName("only-in-b")))
          .isInstanceOf(NoSuchEntityException.class);
    }
  }

  /**
   * Invariant: a namespace mapped to account B gets its role in B, trusting B's provider of the
   * cluster's issuer, with B's boundary and B in its conditions; the operator reaches B with the
   * external id from the Secret; and B's sweep repairs B's role while the home account sees none of
   * it.
   */
  @Test
  void theRoleLandsInTheMappedAccountTrustingItsProviderAndBsSweepRepairsIt() {
    String namespace = operator.getNamespace();
    ownGuardrails(namespace);
    mapToAccount("b-" + namespace, namespace, ACCOUNT_B, "account-b");
    operator.create(
        workload(
            "api",
            """
            selector: {matchLabels: {app: api}}
            iam:
              statements:
              - actions: [sqs:SendMessage]
                resources: ["arn:aws:sqs:us-west-2:%s:%s_orders"]
              - actions: [s3:GetObject]
                resources: ["arn:aws:s3:::%s.data/*"]
            """
                .formatted(ACCOUNT_B, namespace, namespace)));

    var ready = workloads.awaitReady("api");

    var roleName = env.roleName(namespace, "api");
    try (var iamB = iamIn(ACCOUNT_B)) {
      var role = iamB.getRole(r -> r.roleName(roleName)).role();
      assertThat(role.arn())
          .isEqualTo("arn:aws:iam::" + ACCOUNT_B + ":role/secureworkload/" + roleName);
      assertThat(ready.getStatus().getRoleArn()).isEqualTo(role.arn());
      assertThat(role.permissionsBoundary().permissionsBoundaryArn())
          .isEqualTo("arn:aws:iam::" + ACCOUNT_B + ":policy/secureworkload-boundary");
      var issuer = OperatorTestEnvironment.ISSUER.substring("https://".length());
      assertThat(PolicyDocuments.decode(role.assumeRolePolicyDocument()))
          .contains("arn:aws:iam::" + ACCOUNT_B + ":oidc-provider/" + issuer)
          .doesNotContain(MotoServer.ACCOUNT_ID);
      var inline =
          PolicyDocuments.decode(
              iamB.getRolePolicy(r -> r.roleName(roleName).policyName("secureworkload"))
                  .policyDocument());
      assertThat(inline).contains("\"aws:ResourceAccount\":\"" + ACCOUNT_B + "\"");
      assertThat(operator.get(ServiceAccount.class, "api").getMetadata().getAnnotations())
          .containsEntry(ServiceAccountDependentResource.ROLE_ARN, role.arn());
    }
    assertThatThrownBy(() -> homeIam.getRole(r -> r.roleName(roleName)))
        .isInstanceOf(NoSuchEntityException.class);
    var assumedB =
        PROXY.proxy().requests("AssumeRole").stream()
            .filter(call -> targetRole(ACCOUNT_B).equals(call.parameters().get("RoleArn")))
            .toList();
    assertThat(assumedB)
        .isNotEmpty()
        .allSatisfy(
            call -> {
              assertThat(call.parameters()).containsEntry("ExternalId", EXTERNAL_ID);
              assertThat(call.parameters().get("RoleSessionName"))
                  .isEqualTo("secureworkload-" + OperatorTestEnvironment.CLUSTER);
            });
    assertThat(env.calls("CreateRole", ACCOUNT_B)).isEqualTo(1);

    long homeWritesBefore = env.calls("CreateRole", MotoServer.ACCOUNT_ID);
    try (var iamB = iamIn(ACCOUNT_B)) {
      iamB.deleteRolePolicy(r -> r.roleName(roleName).policyName("secureworkload"));
      iamB.deleteRole(r -> r.roleName(roleName));
      await()
          .atMost(TIMEOUT)
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(iamB.getRole(r -> r.roleName(roleName)).role().arn())
                      .contains(ACCOUNT_B));
    }
    assertThat(env.calls("CreateRole", ACCOUNT_B)).isEqualTo(2);
    assertThat(env.calls("CreateRole", MotoServer.ACCOUNT_ID)).isEqualTo(homeWritesBefore);
    assertThatThrownBy(() -> homeIam.getRole(r -> r.roleName(roleName)))
        .isInstanceOf(NoSuchEntityException.class);
  }

  /**
   * Invariant: each account's orphan sweep judges the roles of its own account only. A role of this
   * cluster whose workload is gone is planted under the same name in the home account and in B:
   * each is cut by its own account's sweep, counted under its own account.
   */
  @Test
  void eachAccountsOrphanSweepCutsOnlyItsOwnRoles() {
    String namespace = operator.getNamespace();
    ownGuardrails(namespace);
    mapToAccount("b-" + namespace, namespace, ACCOUNT_B, "account-b");
    operator.create(workload("api", MINIMAL));
    workloads.awaitReady("api");
    var orphanName = env.roleName(namespace, "gone");
    try (var iamB = iamIn(ACCOUNT_B)) {
      plantOrphan(homeIam, namespace, orphanName);
      plantOrphan(iamB, namespace, orphanName);

      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                assertThat(tags(homeIam, orphanName)).containsKey(TrustCut.TAG);
                assertThat(tags(iamB, orphanName)).containsKey(TrustCut.TAG);
              });
    }
    assertThat(orphansCut(MotoServer.ACCOUNT_ID)).isEqualTo(1);
    assertThat(orphansCut(ACCOUNT_B)).isEqualTo(1);
  }

  /**
   * Invariant: an account whose role cannot be assumed (STS refuses it) or whose STS call hangs is
   * reported on its own workloads, naming the account, the role and the STS error, with a Warning
   * Event; a workload in another account becomes Ready meanwhile; once STS answers, the refused
   * account's workload becomes Ready too.
   */
  @Test
  void anAccountThatCannotBeReachedIsReportedAndTheOthersGoOn() {
    var refusedRole = targetRole(ACCOUNT_C);
    var hangingRole = targetRole(ACCOUNT_D);
    PROXY.add(
        FaultRule.inject(Fault.accessDenied())
            .forService("sts")
            .forOperations("AssumeRole")
            .withParameter("RoleArn", refusedRole));
    PROXY.add(
        FaultRule.inject(new Fault.Latency(Duration.ofSeconds(60)))
            .forService("sts")
            .forOperations("AssumeRole")
            .withParameter("RoleArn", hangingRole));
    MOTO.server().provisionClusters(credentialsIn(ACCOUNT_C));
    // Three namespaces, one per account, watched by an operator of their own.
    var suffix = operator.getNamespace().substring(operator.getNamespace().length() - 5);
    var namespaceB = namespace("acct-b-" + suffix);
    mapToAccount("b-" + suffix, namespaceB, ACCOUNT_B, "account-b");
    var namespaceC = namespace("acct-c-" + suffix);
    mapToAccount("c-" + suffix, namespaceC, ACCOUNT_C, null);
    var namespaceD = namespace("acct-d-" + suffix);
    mapToAccount("d-" + suffix, namespaceD, ACCOUNT_D, null);
    var watching =
        OperatorAssembly.onAws(
                env.settings().toBuilder()
                    .watchNamespaces(java.util.Set.of(namespaceB, namespaceC, namespaceD))
                    .build(),
                MotoServer.credentials())
            .newOperator(KubeApiServer.get().newClient());
    watching.start();
    try {
      admin.resource(inNamespace(workload("api", MINIMAL), namespaceC)).create();
      admin.resource(inNamespace(workload("api", MINIMAL), namespaceD)).create();
      admin.resource(inNamespace(workload("api", MINIMAL), namespaceB)).create();

      awaitReason(namespaceB, "api", ConditionReason.AllPartsReady);
      var refused = awaitReason(namespaceC, "api", ConditionReason.AccountUnavailable);
      assertThat(WorkloadAssertions.condition(refused, "Ready").getMessage())
          .contains(ACCOUNT_C)
          .contains(refusedRole)
          .contains("AccessDenied");
      var hanging = awaitReason(namespaceD, "api", ConditionReason.AccountUnavailable);
      assertThat(WorkloadAssertions.condition(hanging, "Ready").getMessage())
          .contains(ACCOUNT_D)
          .contains(hangingRole);
      assertThat(warnings(namespaceC))
          .anySatisfy(message -> assertThat(message).contains(ACCOUNT_C).contains("AccessDenied"));
      try (var iamC = iamIn(ACCOUNT_C)) {
        assertThat(iamC.listRoles().roles()).isEmpty();
      }

      PROXY.clearRules();
      awaitReason(namespaceC, "api", ConditionReason.AllPartsReady);
    } finally {
      watching.stop();
    }
  }

  /**
   * Invariant: a missing OIDC provider is reported with the command that makes it, and a refused
   * read of it as a refusal; once the provider is back, the workload is Ready again without a
   * restart and without any role being written.
   */
  @Test
  void aMissingProviderAndARefusedReadAreEachReportedAndTheFixNeedsNoRewrite() {
    operator.create(workload("api", MINIMAL));
    workloads.awaitReady("api");
    var providerArn = providerArn(MotoServer.ACCOUNT_ID);
    long writes = env.writes();

    homeIam.deleteOpenIDConnectProvider(r -> r.openIDConnectProviderArn(providerArn));
    var missing =
        workloads.awaitCondition(
            "api", "Ready", Condition.FALSE, ConditionReason.OidcProviderMissing.name());
    assertThat(WorkloadAssertions.condition(missing, "Ready").getMessage())
        .contains(providerArn)
        .contains(
            "aws iam create-open-id-connect-provider --url " + OperatorTestEnvironment.ISSUER);

    MOTO.server().provisionClusters(MotoServer.credentials());
    workloads.awaitReady("api");
    assertThat(env.writes()).as("AWS writes while the provider came and went").isEqualTo(writes);

    PROXY.add(
        FaultRule.inject(Fault.accessDenied())
            .forService("iam")
            .forOperations("GetOpenIDConnectProvider"));
    var denied =
        workloads.awaitCondition(
            "api", "Ready", Condition.FALSE, ConditionReason.AwsAccessDenied.name());
    assertThat(WorkloadAssertions.condition(denied, "Ready").getMessage())
        .contains("may not read")
        .contains("iam:GetOpenIDConnectProvider")
        .doesNotContain("does not exist");

    PROXY.clearRules();
    workloads.awaitReady("api");
    assertThat(env.writes()).isEqualTo(writes);
  }

  /**
   * Invariant: a role that would take the account past its quota is not made; the workload says why
   * and a Warning Event is recorded; the gauges show the count against the quota. The number is
   * moto's: GetAccountSummary reports the roles the account holds against a fixed quota of 1,000,
   * so the test fills the account to 999 roles first.
   */
  @Test
  void theQuotaIsReportedBeforeARoleWouldPassIt() {
    int held = homeIam.getAccountSummary().summaryMapAsStrings().get("Roles");
    for (int i = held; i < 999; i++) {
      int n = i;
      homeIam.createRole(
          r -> r.roleName("filler-" + n).path("/filler/").assumeRolePolicyDocument("{}"));
    }
    await()
        .atMost(TIMEOUT)
        .until(() -> gauge(AwsAccounts.ROLES_GAUGE, MotoServer.ACCOUNT_ID) >= 999);
    assertThat(gauge(AwsAccounts.QUOTA_GAUGE, MotoServer.ACCOUNT_ID)).isEqualTo(1000);

    operator.create(workload("first", MINIMAL));
    workloads.awaitReady("first");
    long creates = env.calls("CreateRole");
    operator.create(workload("second", MINIMAL));

    var refused =
        workloads.awaitCondition(
            "second", "Ready", Condition.FALSE, ConditionReason.RoleQuotaReached.name());
    assertThat(WorkloadAssertions.condition(refused, "Ready").getMessage())
        .contains("holds 1000 IAM roles of its quota of 1000 (GetAccountSummary)");
    assertThat(env.calls("CreateRole")).isEqualTo(creates);
    assertThatThrownBy(
            () -> homeIam.getRole(r -> r.roleName(env.roleName(operator.getNamespace(), "second"))))
        .isInstanceOf(NoSuchEntityException.class);
    assertThat(warnings(operator.getNamespace()))
        .anySatisfy(message -> assertThat(message).contains("quota"));

    homeIam.deleteRole(r -> r.roleName("filler-998"));
    workloads.awaitReady("second");
  }

  private void plantOrphan(IamClient iam, String namespace, String roleName) {
    var settings = env.settings();
    iam.createRole(
        r ->
            r.roleName(roleName)
                .path(settings.rolePath())
                .assumeRolePolicyDocument(
                    new WorkloadRole(settings, () -> MotoServer.ACCOUNT_ID)
                        .trustPolicy(inNamespace(workload("gone", MINIMAL), namespace)))
                .tags(
                    tag(WorkloadRole.TAG_MANAGED_BY, SecureWorkload.MANAGED_BY),
                    tag(WorkloadRole.TAG_CLUSTER, OperatorTestEnvironment.CLUSTER),
                    tag(WorkloadRole.TAG_ISSUER, settings.oidcProviderHostPath()),
                    tag(WorkloadRole.TAG_NAMESPACE, namespace),
                    tag(WorkloadRole.TAG_NAMESPACE_UID, "uid-of-a-namespace"),
                    tag(WorkloadRole.TAG_NAME, "gone")));
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  private static Map<String, String> tags(IamClient iam, String roleName) {
    var tags = new java.util.HashMap<String, String>();
    iam.listRoleTags(r -> r.roleName(roleName)).tags().forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }

  private double orphansCut(String account) {
    return env
        .metrics()
        .find("secureworkload.orphan.roles")
        .tag("action", "cut")
        .tag("account", account)
        .counters()
        .stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count)
        .sum();
  }

  private double gauge(String name, String account) {
    var gauge = env.metrics().find(name).tag("account", account).gauge();
    return gauge == null ? -1 : gauge.value();
  }

  private String providerArn(String account) {
    return "arn:aws:iam::"
        + account
        + ":oidc-provider/"
        + OperatorTestEnvironment.ISSUER.substring("https://".length());
  }

  private static String targetRole(String account) {
    return "arn:aws:iam::" + account + ":role/secureworkload-operator-target";
  }

  /** Leaves the namespace to this test's policies, not the ITs' permissive one. */
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
    return name;
  }

  /** An Enforce policy keeping the namespace's roles in this account, with its own boundary. */
  private void mapToAccount(String policyName, String namespace, String account, String secret) {
    var externalId = secret == null ? "" : "\n    externalIdSecretRef: {name: " + secret + "}";
    var policy =
        Serialization.unmarshal(
            """
            apiVersion: secureworkload.io/v1alpha1
            kind: SecureWorkloadPolicy
            metadata: {name: %s}
            spec:
              namespaces: [%s]
              account:
                id: "%s"
                roleArn: %s%s
              iam:
                permissionsBoundaryArn: "arn:aws:iam::${account}:policy/secureworkload-boundary"
            """
                .formatted(policyName, namespace, account, targetRole(account), externalId),
            SecureWorkloadPolicy.class);
    admin.resource(policy).create();
    policies.add(policyName);
  }

  private static SecureWorkload inNamespace(SecureWorkload workload, String namespace) {
    workload.getMetadata().setNamespace(namespace);
    return workload;
  }

  private SecureWorkload awaitReason(String namespace, String name, ConditionReason reason) {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              var workload =
                  admin.resources(SecureWorkload.class).inNamespace(namespace).withName(name).get();
              var ready = workload == null ? null : WorkloadAssertions.condition(workload, "Ready");
              return ready != null && reason.name().equals(ready.getReason());
            });
    return admin.resources(SecureWorkload.class).inNamespace(namespace).withName(name).get();
  }

  private List<String> warnings(String namespace) {
    return admin.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()))
        .map(io.fabric8.kubernetes.api.model.Event::getMessage)
        .toList();
  }

  private IamClient iamIn(String account) {
    return IamClient.builder()
        .region(Region.AWS_GLOBAL)
        .endpointOverride(MOTO.endpoint())
        .credentialsProvider(credentialsIn(account))
        .build();
  }

  /** What moto's AssumeRole returns for a role in that account: calls then act in it. */
  private static AwsCredentialsProvider credentialsIn(String account) {
    var sts = MOTO.stsClient();
    var credentials =
        sts.assumeRole(r -> r.roleArn(targetRole(account)).roleSessionName("it-test"))
            .credentials();
    return StaticCredentialsProvider.create(
        AwsSessionCredentials.create(
            credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken()));
  }
}
