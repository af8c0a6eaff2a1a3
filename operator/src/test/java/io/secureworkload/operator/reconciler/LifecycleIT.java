package io.secureworkload.operator.reconciler;

import static io.secureworkload.operator.testsupport.TestWorkloads.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.javaoperatorsdk.operator.junit.LocallyRunOperatorExtension;
import io.secureworkload.operator.api.SecureWorkload;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * A workload's life when AWS does not cooperate: deletions that meet what people attached by hand
 * or a refusal, a slow deletion, and a role deleted in AWS. The operator's AWS calls go through a
 * fault proxy in front of moto; the test looks at moto directly.
 */
class LifecycleIT {

  @RegisterExtension static final MotoExtension MOTO = MotoExtension.startedEagerly();

  @RegisterExtension
  static final FaultProxyExtension PROXY = FaultProxyExtension.inFrontOf(MOTO).startedEagerly();

  private static final Duration DRIFT_PERIOD = Duration.ofSeconds(2);
  private static final OperatorTestEnvironment ENV =
      new OperatorTestEnvironment(PROXY.endpoint(), MOTO.endpoint(), DRIFT_PERIOD);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String STATEMENTS =
      """
      iam:
        statements: [{actions: [sqs:SendMessage], resources: ["arn:aws:sqs:us-west-2:123456789012:q"]}]
      """;

  @RegisterExtension final LocallyRunOperatorExtension operator = ENV.operatorExtension();

  private final IamClient iam = ENV.iamClient();
  private WorkloadAssertions workloads;

  @BeforeEach
  void watchWorkloads() {
    workloads = new WorkloadAssertions(operator);
  }

  @Test
  void aRoleReusedInAnInstanceProfileIsDeletedAndTheProfileKept() {
    var roleName = readyWorkload("ec2-reuse");
    var before = iam.getRole(r -> r.roleName(roleName)).role();
    iam.createInstanceProfile(r -> r.instanceProfileName("reused-for-ec2"));
    iam.addRoleToInstanceProfile(r -> r.instanceProfileName("reused-for-ec2").roleName(roleName));
    var removals = ENV.calls("RemoveRoleFromInstanceProfile");

    deleteAndAwaitGone("ec2-reuse");

    assertThat(roleExists(roleName)).isFalse();
    assertThat(
            iam.getInstanceProfile(r -> r.instanceProfileName("reused-for-ec2"))
                .instanceProfile()
                .roles())
        .isEmpty();
    assertThat(ENV.calls("RemoveRoleFromInstanceProfile") - removals).isEqualTo(1);
    // The deletion is one Normal Event, naming the role.
    assertThat(workloads.events("ec2-reuse")).containsExactlyInAnyOrder("Ready", "Deleted");
    assertThat(workloads.normalEvents("ec2-reuse"))
        .filteredOn(event -> event.startsWith("Deleted: "))
        .singleElement()
        .asString()
        .isEqualTo("Deleted: Deleted IAM role " + before.arn());
  }

  @Test
  void policiesAddedByHandDoNotStopTheDeletion() {
    var roleName = readyWorkload("hand-edited");
    var policyArn =
        iam.createPolicy(
                r ->
                    r.policyName("hand-attached")
                        .policyDocument(
                            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                + "\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"*\"}]}"))
            .policy()
            .arn();
    iam.attachRolePolicy(r -> r.roleName(roleName).policyArn(policyArn));
    iam.putRolePolicy(
        r ->
            r.roleName(roleName)
                .policyName("added-by-hand")
                .policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"*\",\"Resource\":\"*\"}]}"));
    var detaches = ENV.calls("DetachRolePolicy");
    var inlineDeletes = ENV.calls("DeleteRolePolicy");

    deleteAndAwaitGone("hand-edited");

    assertThat(roleExists(roleName)).isFalse();
    // Detached, not deleted: the managed policy is not the workload's.
    assertThat(iam.getPolicy(r -> r.policyArn(policyArn)).policy().attachmentCount()).isZero();
    assertThat(ENV.calls("DetachRolePolicy") - detaches).isEqualTo(1);
    assertThat(ENV.calls("DeleteRolePolicy") - inlineDeletes).isEqualTo(2);
  }

  @Test
  void aDeletionIamRefusesIsReportedOnceRetriedSlowlyAndCompletesOnceAllowed() {
    var roleName = readyWorkload("denied");
    PROXY.add(FaultRule.inject(Fault.accessDenied()).forOperations("DeleteRole"));

    operator.delete(operator.get(SecureWorkload.class, "denied"));

    var blocked = workloads.awaitCondition("denied", "Ready", "False", "DeletionBlocked");
    var ready = WorkloadAssertions.condition(blocked, "Ready");
    assertThat(ready.getMessage())
        .contains("DeleteRole failed: AccessDenied")
        .contains("iam:DeleteRole")
        .contains("docs/operator-iam-policy.md");
    assertThat(WorkloadAssertions.condition(blocked, "Stalled").getStatus()).isEqualTo("True");
    assertThat(WorkloadAssertions.condition(blocked, "Reconciling").getStatus()).isEqualTo("False");
    assertThat(WorkloadAssertions.condition(blocked, "IAMRoleReady").getReason())
        .isEqualTo("DeletionBlocked");
    assertThat(blocked.getMetadata().getFinalizers()).isNotEmpty();
    assertThat(roleExists(roleName)).isTrue();

    var attemptsBefore = PROXY.calls().total("DeleteRole");
    await().pollDelay(Duration.ofSeconds(10)).atMost(TIMEOUT).until(() -> true);
    var attemptsIn10s = PROXY.calls().total("DeleteRole") - attemptsBefore;
    System.out.printf(
        "LifecycleIT: DeleteRole under AccessDenied: %d attempt(s) before the block was seen,"
            + " %d in the next 10 s%n",
        attemptsBefore, attemptsIn10s);
    assertThat(attemptsIn10s).isBetween(1L, 4L);
    assertThat(workloads.events("denied")).containsOnlyOnce("DeletionBlocked");
    assertThat(operator.get(SecureWorkload.class, "denied")).isNotNull();

    PROXY.clearRules();

    await().atMost(TIMEOUT).until(() -> operator.get(SecureWorkload.class, "denied") == null);
    assertThat(roleExists(roleName)).isFalse();
  }

  @Test
  void theStatusNeverSaysReadyWhileTheRoleIsBeingDeleted() {
    readyWorkload("slow");
    PROXY.add(FaultRule.inject(Fault.latency(Duration.ofSeconds(3))).forOperations("DeleteRole"));
    var seen = new ArrayList<String>();
    var firstStepsBefore = ENV.calls("DeleteRolePolicy");

    operator.delete(operator.get(SecureWorkload.class, "slow"));

    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              // The deletion's first AWS call comes after the status says Deleting: once it has
              // been made, no read may find the workload Ready.
              var deletionStarted = ENV.calls("DeleteRolePolicy") > firstStepsBefore;
              var workload = operator.get(SecureWorkload.class, "slow");
              if (workload == null) {
                return true;
              }
              if (deletionStarted) {
                var ready = WorkloadAssertions.condition(workload, "Ready");
                seen.add(ready.getStatus() + "/" + ready.getReason());
              }
              return false;
            });
    System.out.println("LifecycleIT: Ready while the role was deleted: " + summary(seen));
    assertThat(seen).isNotEmpty().allMatch("False/Deleting"::equals);
    assertThat(PROXY.calls().delayed("DeleteRole")).isEqualTo(1);
  }

  @Test
  void aRoleDeletedInAwsIsRecreatedByTheSweepWithTheSameArnAndANewId() {
    var roleName = readyWorkload("vanishing");
    Role before = iam.getRole(r -> r.roleName(roleName)).role();
    var sweepsBefore = ENV.calls("ListRoles");
    var createsBefore = ENV.calls("CreateRole");

    iam.deleteRolePolicy(r -> r.roleName(roleName).policyName("secureworkload"));
    iam.deleteRole(r -> r.roleName(roleName));

    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                workloads.normalEvents("vanishing").stream()
                    .anyMatch(
                        event ->
                            event.startsWith(
                                "DriftRepaired: Repaired changes made outside the operator to IAM"
                                    + " role "
                                    + before.arn()
                                    + " (it was missing in AWS and has been recreated with the"
                                    + " same name and ARN but a new unique id")));
    var after = iam.getRole(r -> r.roleName(roleName)).role();
    assertThat(after.arn()).isEqualTo(before.arn());
    assertThat(after.roleId()).isNotEqualTo(before.roleId());
    assertThat(ENV.inlinePolicy(roleName)).contains("sqs:SendMessage");
    var repaired = workloads.awaitReady("vanishing");
    assertThat(repaired.getStatus().getRoleArn()).isEqualTo(before.arn());
    assertThat(WorkloadAssertions.condition(repaired, "IAMRoleReady").getStatus())
        .isEqualTo("True");
    assertThat(ENV.calls("ListRoles")).isGreaterThan(sweepsBefore);
    assertThat(ENV.calls("CreateRole") - createsBefore).isEqualTo(1);
    System.out.printf(
        "LifecycleIT: role recreated after %d sweep(s) of %s: %s -> %s%n",
        ENV.calls("ListRoles") - sweepsBefore, DRIFT_PERIOD, before.roleId(), after.roleId());
  }

  /** Creates a workload with an inline policy and waits until it is Ready; its role's name. */
  private String readyWorkload(String name) {
    operator.create(workload(name, "selector: {matchLabels: {app: " + name + "}}\n" + STATEMENTS));
    workloads.awaitReady(name);
    return ENV.roleName(operator.getNamespace(), name);
  }

  private void deleteAndAwaitGone(String name) {
    operator.delete(operator.get(SecureWorkload.class, name));
    try {
      await().atMost(TIMEOUT).until(() -> operator.get(SecureWorkload.class, name) == null);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(name + " was not deleted\n" + workloads.describe(name), e);
    }
  }

  private boolean roleExists(String roleName) {
    return MotoServer.roleExists(iam, roleName);
  }

  /** Consecutive equal observations as one, with their count. */
  private static List<String> summary(List<String> seen) {
    var runs = new ArrayList<String>();
    String last = null;
    int count = 0;
    for (var observation : seen) {
      if (observation.equals(last)) {
        count++;
        continue;
      }
      if (last != null) {
        runs.add(last + " x" + count);
      }
      last = observation;
      count = 1;
    }
    if (last != null) {
      runs.add(last + " x" + count);
    }
    return runs;
  }
}
