package io.secureworkload.operator.reconciler;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.junit.LocallyRunOperatorExtension;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadPolicy;
import io.secureworkload.operator.dependent.ServiceAccountDependentResource;
import io.secureworkload.operator.iam.Arns;
import io.secureworkload.operator.testsupport.KubeApiServer;
import io.secureworkload.operator.testsupport.MotoExtension;
import io.secureworkload.operator.testsupport.MotoServer;
import io.secureworkload.operator.testsupport.OperatorTestEnvironment;
import io.secureworkload.operator.testsupport.TestPods;
import io.secureworkload.operator.testsupport.WorkloadAssertions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * A namespace governed by no account mapping (the operator's own account) moved by a policy to
 * another account, with a pod that started before the move, on a real API server and moto (which
 * keeps IAM apart per account for the credentials AssumeRole returns). The new role exists and the
 * ServiceAccount names it while the old role stays for the pod; the old role goes once the pod is
 * gone; and the ServiceAccount never names a role that does not exist.
 */
class AccountMoveIT {

  private static final String OTHER = "222222222222";

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();
  // One operator per test: what it knows of the other account (its OIDC provider, its roles) must
  // not outlive moto's reset between the tests.
  private final OperatorTestEnvironment env = new OperatorTestEnvironment(MOTO.server());

  @RegisterExtension final LocallyRunOperatorExtension operator = env.operatorExtension();

  private final KubernetesClient admin = KubeApiServer.get().newClient();
  private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
  private final List<String> seenArns = new CopyOnWriteArrayList<>();
  private final List<String> missingRoles = new CopyOnWriteArrayList<>();
  private WorkloadAssertions workloads;
  private String policyName;

  @BeforeEach
  void namespaceWithItsOwnPolicy() {
    workloads = new WorkloadAssertions(operator);
    policyName = "it-move-" + operator.getNamespace();
    admin
        .namespaces()
        .withName(operator.getNamespace())
        .edit(
            n -> {
              n.getMetadata().getLabels().put(OperatorTestEnvironment.OWN_GUARDRAILS_LABEL, "true");
              return n;
            });
    applyPolicy("");
  }

  @AfterEach
  void cleanUp() {
    watcher.shutdownNow();
    admin.resources(SecureWorkloadPolicy.class).withName(policyName).delete();
    admin.close();
  }

  @Test
  void theOldRoleGoesOnlyOnceThePodsFromBeforeTheSwitchAreGone() throws Exception {
    try (var otherIam = iamOf(OTHER)) {
      move(otherIam);
    }
  }

  private void move(IamClient otherIam) throws InterruptedException {
    MOTO.server().provisionClusters(credentialsOf(OTHER));
    operator.create(workload("mover", "selector: {matchLabels: {app: mover}}\n"));
    var homeArn = workloads.awaitReady("mover").getStatus().getRoleArn();
    var roleName = env.roleName(operator.getNamespace(), "mover");
    assertThat(Arns.accountOf(homeArn)).isEqualTo(MotoServer.ACCOUNT_ID);
    startedBeforeTheSwitch("old-pod");
    watchTheServiceAccount(otherIam);

    applyPolicy(
        """
          account:
            id: "%s"
            roleArn: arn:aws:iam::%s:role/secure-workload-operator
        """
            .formatted(OTHER, OTHER));

    var switched = awaitStatus(w -> switchedAt(w) != null, Duration.ofSeconds(60));
    var newArn = switched.getStatus().getRoleArn();
    assertThat(Arns.accountOf(newArn)).isEqualTo(OTHER);
    assertThat(switched.getStatus().getPreviousRole().getArn()).isEqualTo(homeArn);
    assertThat(annotatedArn()).isEqualTo(newArn);
    assertThat(MotoServer.roleExists(otherIam, roleName)).as("the new role").isTrue();
    assertThat(MotoServer.roleExists(env.iamClient(), roleName))
        .as("the old role, still held by a pod from before the switch")
        .isTrue();
    // Long enough for reconciliations to pass: the pod still holds the old role.
    Thread.sleep(3_000);
    assertThat(MotoServer.roleExists(env.iamClient(), roleName)).isTrue();

    admin
        .pods()
        .inNamespace(operator.getNamespace())
        .withName("old-pod")
        .withGracePeriod(0)
        .delete();

    // The operator looks at the pods again within a minute.
    var done = awaitStatus(w -> w.getStatus().getPreviousRole() == null, Duration.ofSeconds(100));
    assertThat(MotoServer.roleExists(env.iamClient(), roleName)).as("the old role").isFalse();
    assertThat(MotoServer.roleExists(otherIam, roleName)).as("the new role").isTrue();
    assertThat(done.getStatus().getRoleArn()).isEqualTo(newArn);
    assertThat(workloads.events("mover")).contains("Deleted");
    watcher.shutdownNow();
    watcher.awaitTermination(5, TimeUnit.SECONDS);
    assertThat(missingRoles)
        .as("ARNs the ServiceAccount named while their role was missing")
        .isEmpty();
    assertThat(seenArns)
        .as("what the ServiceAccount named, in order")
        .containsExactly(homeArn, newArn);
  }

  @Test
  void aWorkloadDeletedWhileItsOldRoleWaitsTakesBothRolesWithIt() {
    try (var otherIam = iamOf(OTHER)) {
      MOTO.server().provisionClusters(credentialsOf(OTHER));
      operator.create(workload("mover", "selector: {matchLabels: {app: mover}}\n"));
      workloads.awaitReady("mover");
      var roleName = env.roleName(operator.getNamespace(), "mover");
      startedBeforeTheSwitch("old-pod");
      applyPolicy(
          """
            account:
              id: "%s"
              roleArn: arn:aws:iam::%s:role/secure-workload-operator
          """
              .formatted(OTHER, OTHER));
      awaitStatus(w -> switchedAt(w) != null, Duration.ofSeconds(60));

      operator.delete(operator.get(SecureWorkload.class, "mover"));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> operator.get(SecureWorkload.class, "mover") == null);
      assertThat(MotoServer.roleExists(env.iamClient(), roleName)).as("the old role").isFalse();
      assertThat(MotoServer.roleExists(otherIam, roleName)).as("the new role").isFalse();
    }
  }

  /** A pod of the workload's ServiceAccount; no kubelet runs it, the API server only keeps it. */
  private void startedBeforeTheSwitch(String name) {
    TestPods.runningAs(admin, operator.getNamespace(), name, "mover");
  }

  /**
   * Looks at the ServiceAccount every 100 ms and checks that the role it names exists in the
   * account its ARN names.
   */
  private void watchTheServiceAccount(IamClient otherIam) {
    watcher.scheduleWithFixedDelay(
        () -> {
          var arn = annotatedArn();
          if (arn == null) {
            return;
          }
          if (seenArns.isEmpty() || !seenArns.get(seenArns.size() - 1).equals(arn)) {
            seenArns.add(arn);
          }
          var iam = OTHER.equals(Arns.accountOf(arn)) ? otherIam : env.iamClient();
          var name = arn.substring(arn.lastIndexOf('/') + 1);
          if (!MotoServer.roleExists(iam, name)) {
            missingRoles.add(arn);
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
  }

  private String annotatedArn() {
    var serviceAccount = operator.get(ServiceAccount.class, "mover");
    return serviceAccount == null
        ? null
        : serviceAccount
            .getMetadata()
            .getAnnotations()
            .get(ServiceAccountDependentResource.ROLE_ARN);
  }

  private static String switchedAt(SecureWorkload workload) {
    var previous = workload.getStatus() == null ? null : workload.getStatus().getPreviousRole();
    return previous == null ? null : previous.getSwitchedAt();
  }

  private SecureWorkload awaitStatus(
      java.util.function.Predicate<SecureWorkload> done, Duration timeout) {
    try {
      await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> done.test(operator.get(SecureWorkload.class, "mover")));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("The move did not get there\n" + workloads.describe("mover"), e);
    }
    return operator.get(SecureWorkload.class, "mover");
  }

  /** The test's policy for its namespace: wide, the boundary of the roles' account, and more. */
  private void applyPolicy(String more) {
    var yaml =
        """
        apiVersion: secureworkload.io/v1alpha1
        kind: SecureWorkloadPolicy
        metadata: {name: %s}
        spec:
          namespaces: [%s]
          iam:
            permissionsBoundaryArn: arn:aws:iam::${account}:policy/secureworkload-boundary
        %s"""
            .formatted(policyName, operator.getNamespace(), more);
    admin.resource(Serialization.unmarshal(yaml, SecureWorkloadPolicy.class)).serverSideApply();
  }

  /** Credentials in that account, as moto hands them out for any role there. */
  private static StaticCredentialsProvider credentialsOf(String accountId) {
    var assumed =
        MOTO.stsClient()
            .assumeRole(
                r ->
                    r.roleArn("arn:aws:iam::" + accountId + ":role/it-admin")
                        .roleSessionName("account-move-it"))
            .credentials();
    return StaticCredentialsProvider.create(
        AwsSessionCredentials.create(
            assumed.accessKeyId(), assumed.secretAccessKey(), assumed.sessionToken()));
  }

  private static IamClient iamOf(String accountId) {
    return IamClient.builder()
        .endpointOverride(MOTO.endpoint())
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(credentialsOf(accountId))
        .build();
  }
}
