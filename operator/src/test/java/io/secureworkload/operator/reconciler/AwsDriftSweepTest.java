package io.secureworkload.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.AwsCallException;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.testsupport.FakeIamRoles;
import io.secureworkload.operator.testsupport.TestSettings;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The AWS drift sweep against IAM in memory: whom it re-queues, and what a sweep costs. */
class AwsDriftSweepTest {

  private final FakeIamRoles iam = new FakeIamRoles();
  private final WorkloadRole workloadRole =
      new WorkloadRole(TestSettings.inRegion("us-west-2"), () -> FakeIamRoles.ACCOUNT);
  private final List<SecureWorkload> workloads = new ArrayList<>();
  private final List<ResourceID> requeued = new ArrayList<>();
  private final AwsDriftSweep sweep =
      new AwsDriftSweep(
          iam, workloadRole, "/secureworkload/", Duration.ofMinutes(1), () -> workloads.stream());

  AwsDriftSweepTest() {
    sweep.setEventHandler(event -> requeued.add(event.getRelatedCustomResourceID()));
  }

  @Test
  void exactlyTheWorkloadsWhoseRoleIsMissingAreReconciled() {
    var intact = withRole("intact");
    var deletedByHand = withRole("deleted-by-hand");
    iam.remove(workloadRole.name(deletedByHand));

    var missing = sweep.sweep();

    assertThat(missing).containsExactly(ResourceID.fromResource(deletedByHand));
    assertThat(requeued).containsExactly(ResourceID.fromResource(deletedByHand));
    assertThat(intact.getStatus().getRoleArn()).isNotNull();
  }

  @Test
  void aSweepIsOneListRolesCallWhateverTheNumberOfWorkloads() {
    for (int i = 0; i < 50; i++) {
      withRole("w" + i);
    }
    iam.clearOperations();

    sweep.sweep();

    assertThat(iam.operations()).containsExactly("ListRoles");
    assertThat(requeued).isEmpty();
  }

  @Test
  void workloadsThatNeverHadTheirRoleOrAreGoingAwayAreLeftAlone() {
    workload("pending");
    // A role with its name that is not its own: the status names no ARN.
    workload("not-owned").setStatus(new SecureWorkloadStatus());
    var deleting = withRole("deleting");
    iam.remove(workloadRole.name(deleting));
    deleting.getMetadata().setDeletionTimestamp("2025-06-01T10:00:00Z");

    assertThat(sweep.sweep()).isEmpty();
  }

  @Test
  void rolesOutsideTheOperatorsPathDoNotCount() {
    var moved = withRole("moved");
    var role = iam.role(workloadRole.name(moved)).orElseThrow();
    iam.remove(role.name());
    iam.put(
        new ActualRole(
            role.name(),
            role.arn().replace("/secureworkload/", "/elsewhere/"),
            "/elsewhere/",
            role.description(),
            role.trustPolicy(),
            role.inlinePolicies(),
            role.managedPolicyArns(),
            role.maxSessionDurationSeconds(),
            role.permissionsBoundaryArn(),
            role.tags()));

    assertThat(sweep.sweep()).containsExactly(ResourceID.fromResource(moved));
  }

  @Test
  void aFailedListingReQueuesNothing() {
    iam.remove(workloadRole.name(withRole("gone")));
    iam.failWith("ListRoles", "Throttling", true);

    assertThatThrownBy(sweep::sweep).isInstanceOf(AwsCallException.class);
    assertThat(requeued).isEmpty();
  }

  /** A workload whose role the operator made: the role exists, and the status names it. */
  private SecureWorkload withRole(String name) {
    var workload = workload(name);
    var created = iam.create(workloadRole.desired(workload, "uid-of-payments", null));
    var status = new SecureWorkloadStatus();
    status.setRoleArn(created.arn());
    workload.setStatus(status);
    return workload;
  }

  private SecureWorkload workload(String name) {
    var workload = TestWorkloads.workload(name, "selector: {matchLabels: {app: " + name + "}}\n");
    workload.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("payments").build());
    workloads.add(workload);
    return workload;
  }
}
