package io.secureworkload.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.config.DriftSweepMode;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.config.OperatorSettings.OrphanPolicy;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.DesiredRole;
import io.secureworkload.operator.iam.RoleChange;
import io.secureworkload.operator.iam.RoleStates;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.testsupport.FakeIamAccounts;
import io.secureworkload.operator.testsupport.FakeIamRoles;
import io.secureworkload.operator.testsupport.TestRoles;
import io.secureworkload.operator.testsupport.TestSettings;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The AWS drift sweep against IAM in memory: whom it re-queues, what a sweep costs with the orphan
 * judgement it feeds, and that the two parts fail apart.
 */
class AwsDriftSweepTest {

  private static final String BOUNDARY = "arn:aws:iam::123456789012:policy/boundary";
  private static final String WIDE_TRUST =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
          + "\"x\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringLike\":"
          + "{\"x:sub\":\"system:serviceaccount:*\"}}}]}";

  private final FakeIamRoles iam = new FakeIamRoles();
  private final RoleStates states = new RoleStates(Duration.ofHours(1));
  private final OperatorSettings settings = TestSettings.inRegion("us-west-2");
  private final WorkloadRole workloadRole = new WorkloadRole(settings, () -> FakeIamRoles.ACCOUNT);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<SecureWorkload> workloads = new ArrayList<>();
  private final List<ResourceID> requeued = new ArrayList<>();
  private final Set<String> live = new HashSet<>();
  private final List<String> liveReads = new ArrayList<>();
  private AwsDriftSweep sweep = sweep(DriftSweepMode.AUTHORIZATION_DETAILS);

  private AwsDriftSweep sweep(DriftSweepMode mode) {
    return sweep(settings.toBuilder().awsDriftSweepMode(mode).build(), states);
  }

  private AwsDriftSweep sweep(OperatorSettings settings, RoleStates states) {
    var sweep =
        new AwsDriftSweep(
            new AwsDriftSweep.Config(
                new FakeIamAccounts(iam, states, settings.oidcProviderHostPath()),
                workloadRole,
                settings,
                registry,
                () -> true),
            workloads::stream,
            account ->
                new OrphanRoleSweep(
                    account,
                    workloadRole,
                    settings,
                    registry,
                    workloads::stream,
                    (namespace, name) -> {
                      liveReads.add(namespace + "/" + name);
                      return live.contains(namespace + "/" + name);
                    }));
    sweep.setEventHandler(event -> requeued.add(event.getRelatedCustomResourceID()));
    return sweep;
  }

  @ParameterizedTest
  @EnumSource(DriftSweepMode.class)
  void exactlyTheWorkloadsWhoseRoleIsMissingAreReconciled(DriftSweepMode mode) {
    sweep = sweep(mode);
    var intact = withRole("intact");
    var deletedByHand = withRole("deleted-by-hand");
    iam.remove(workloadRole.name(deletedByHand));

    var missing = sweep.sweep();

    assertThat(missing).containsExactly(ResourceID.fromResource(deletedByHand));
    assertThat(requeued).containsExactly(ResourceID.fromResource(deletedByHand));
    assertThat(states.known(workloadRole.name(deletedByHand))).isEmpty();
    assertThat(states.known(workloadRole.name(intact))).isPresent();
  }

  @Test
  void aSweepIsOneListRolesAndOneAuthorizationDetailsPageWhateverTheNumberOfWorkloads() {
    for (int i = 0; i < 50; i++) {
      withRole("w" + i);
    }
    iam.clearOperations();

    sweep.sweep();

    assertThat(iam.operations()).containsExactly("ListRoles", "GetAccountAuthorizationDetails");
    assertThat(requeued).isEmpty();
  }

  @Test
  void aThousandRolesAreTwoCallsAndTwoThousandFour() {
    for (int i = 0; i < 1000; i++) {
      withRole("w" + i);
    }
    iam.clearOperations();
    sweep.sweep();
    assertThat(iam.operations()).hasSize(2);

    for (int i = 1000; i < 2000; i++) {
      withRole("w" + i);
    }
    iam.clearOperations();
    sweep.sweep();
    assertThat(iam.operations()).hasSize(4);
  }

  @Test
  void theListRolesModeIsOneCall() {
    sweep = sweep(DriftSweepMode.LIST_ROLES);
    for (int i = 0; i < 50; i++) {
      withRole("w" + i);
    }
    iam.clearOperations();

    sweep.sweep();

    assertThat(iam.operations()).containsExactly("ListRoles");
  }

  @Test
  void everyKindOfDriftReQueuesExactlyItsWorkload() {
    var intact = withRole("intact");
    var widened = drifted("widened", new RoleChange.UpdateTrustPolicy(WIDE_TRUST));
    var addedPolicy = drifted("added", new RoleChange.PutInlinePolicy("by-hand", "{}"));
    var changedPolicy =
        drifted("changed", new RoleChange.PutInlinePolicy("secureworkload", "{\"Statement\":[]}"));
    var attached =
        drifted("attached", new RoleChange.AttachManagedPolicy("arn:aws:iam::aws:policy/Admin"));
    var session = drifted("session", new RoleChange.UpdateRoleSettings("by hand", 43200));
    var unbounded = withRole("unbounded");
    var role = iam.role(workloadRole.name(unbounded)).orElseThrow();
    iam.remove(role.name());
    iam.put(withBoundary(role, null));
    var retagged =
        drifted(
            "retagged", new RoleChange.TagRole(Map.of(WorkloadRole.TAG_NAMESPACE, "someone-else")));

    var differs = sweep.sweep();

    assertThat(differs)
        .containsExactlyInAnyOrder(
            id(widened),
            id(addedPolicy),
            id(changedPolicy),
            id(attached),
            id(session),
            id(unbounded),
            id(retagged));
    assertThat(differs).doesNotContain(id(intact));
    assertThat(states.known(workloadRole.name(widened))).isEmpty();
    assertThat(states.known(workloadRole.name(intact))).isPresent();
  }

  @Test
  void aDetachedManagedPolicyIsDrift() {
    var workload = workload("detached");
    var desired = withManaged(desired(workload), Set.of("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    made(workload, desired);
    iam.apply(
        desired.name(),
        new RoleChange.DetachManagedPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess"));

    assertThat(sweep.sweep()).containsExactly(id(workload));
  }

  @Test
  void theListRolesModeSeesTrustAndSettingsButNotPolicies() {
    sweep = sweep(DriftSweepMode.LIST_ROLES);
    var widened = drifted("widened", new RoleChange.UpdateTrustPolicy(WIDE_TRUST));
    var session = drifted("session", new RoleChange.UpdateRoleSettings("by hand", 43200));
    drifted("added", new RoleChange.PutInlinePolicy("by-hand", "{}"));

    assertThat(sweep.sweep()).containsExactlyInAnyOrder(id(widened), id(session));
  }

  @Test
  void aRoleWrittenWhileTheSweepListedIsNotReQueued() {
    var workload = workload("busy");
    var desired = desired(workload);
    var created = iam.create(desired);
    iam.apply(desired.name(), new RoleChange.PutInlinePolicy("by-hand", "{}"));
    long sweepStarted = states.now();
    // The reconciliation repairs and records the role after the sweep started listing.
    iam.apply(desired.name(), new RoleChange.DeleteInlinePolicy("by-hand"));
    states.written(desired, created);

    var drifted = iam.role(desired.name()).orElseThrow();
    assertThat(states.observed(withInline(drifted, "by-hand"), sweepStarted)).isFalse();
    assertThat(states.missing(desired.name(), sweepStarted)).isFalse();
  }

  @Test
  void primingAtStartLetsARestartedOperatorKnowItsRolesWithoutReadingEach() {
    for (int i = 0; i < 20; i++) {
      withRole("w" + i);
    }
    var restarted = new RoleStates(Duration.ofHours(1));
    var sweepAfterRestart = sweep(settings, restarted);
    iam.clearOperations();

    sweepAfterRestart.prime();

    assertThat(iam.operations()).containsExactly("ListRoles", "GetAccountAuthorizationDetails");
    assertThat(restarted.size()).isEqualTo(20);
    var desired = desired(workloads.get(3));
    assertThat(restarted.matching(desired)).isPresent();
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
        ActualRole.named(role.name())
            .withIdentity(
                role.arn().replace("/secureworkload/", "/elsewhere/"), "/elsewhere/", null)
            .withDescription(role.description())
            .withTrustPolicy(role.trustPolicy())
            .withInlinePolicies(role.inlinePolicies())
            .withManagedPolicyArns(role.managedPolicyArns())
            .withMaxSessionDurationSeconds(role.maxSessionDurationSeconds())
            .withPermissionsBoundaryArn(role.permissionsBoundaryArn())
            .withTags(role.tags()));

    assertThat(sweep.sweep()).containsExactly(ResourceID.fromResource(moved));
  }

  @ParameterizedTest
  @EnumSource(DriftSweepMode.class)
  void aFailedListingReQueuesNothing(DriftSweepMode mode) {
    sweep = sweep(mode);
    iam.remove(workloadRole.name(withRole("gone")));
    iam.failWith("ListRoles", "Throttling", true);

    // One account's failed read is one line in the log: the other accounts' sweeps go on.
    assertThat(sweep.sweep()).isEmpty();
    assertThat(requeued).isEmpty();
  }

  @Test
  void aSweepThatFindsAnOrphanIsOneListRolesOneAuthorizationDetailsPageOneGetRoleAndTheCut() {
    for (int i = 0; i < 50; i++) {
      withRole("w" + i);
    }
    var orphan = orphaned("gone");
    iam.clearOperations();

    sweep.sweep();

    assertThat(iam.operations())
        .containsExactly(
            "ListRoles",
            "GetAccountAuthorizationDetails",
            "GetRole",
            "UpdateAssumeRolePolicy",
            "TagRole");
    assertThat(liveReads).containsExactly("payments/gone");
    assertThat(orphansFound()).isEqualTo(1);
    assertThat(iam.role(orphan)).isPresent();
  }

  @Test
  void theListRolesModeReadsTheTagsOfTheRolesNoWorkloadNamesOncePerIncarnationIfNotOurs() {
    sweep = sweep(DriftSweepMode.LIST_ROLES);
    for (int i = 0; i < 50; i++) {
      withRole("w" + i);
    }
    orphaned("gone");
    var otherCluster =
        new WorkloadRole(
            settings.toBuilder().clusterName("other").build(), () -> FakeIamRoles.ACCOUNT);
    iam.create(
        otherCluster.desired(workload("elsewhere", false), "uid-of-payments", BOUNDARY, null));
    iam.clearOperations();

    sweep.sweep();
    // Tags of the two unnamed roles, the orphan's again after the live read, and its cut.
    assertThat(iam.operations())
        .containsExactlyInAnyOrder(
            "ListRoles", "GetRole", "GetRole", "GetRole", "UpdateAssumeRolePolicy", "TagRole");

    iam.clearOperations();
    sweep.sweep();
    // Neither is read again: the other cluster's role, nor the orphan while its trust stays cut.
    assertThat(iam.operations()).containsExactly("ListRoles");
    assertThat(orphansFound()).isEqualTo(1);
  }

  @Test
  void noOrphanIsJudgedWhenTheRolesAreReadAtStartOrOnGainingLeadership() {
    sweep = sweep(settings.toBuilder().orphanPolicy(OrphanPolicy.Delete).build(), states);
    var orphan = orphaned("gone");

    sweep.prime();
    assertThat(iam.role(orphan)).isPresent();
    // Not started: the first period reads the roles as a new leader does, and judges nothing.
    sweep.runPeriod();
    assertThat(iam.role(orphan)).isPresent();
    assertThat(liveReads).isEmpty();
    assertThat(orphansFound()).isZero();

    sweep.runPeriod();
    assertThat(iam.role(orphan)).isEmpty();
  }

  @Test
  void aFailedOrphanJudgementLeavesTheDriftRequeuesInPlace() {
    var deletedByHand = withRole("deleted-by-hand");
    iam.remove(workloadRole.name(deletedByHand));
    orphaned("gone");
    var failing =
        new AwsDriftSweep(
            new AwsDriftSweep.Config(
                new FakeIamAccounts(iam, states, settings.oidcProviderHostPath()),
                workloadRole,
                settings,
                registry,
                () -> true),
            workloads::stream,
            account ->
                new OrphanRoleSweep(
                    account,
                    workloadRole,
                    settings,
                    registry,
                    workloads::stream,
                    (namespace, name) -> {
                      throw new IllegalStateException("the API server does not answer");
                    }));
    failing.setEventHandler(event -> requeued.add(event.getRelatedCustomResourceID()));

    assertThat(failing.sweep()).containsExactly(id(deletedByHand));
    assertThat(requeued).containsExactly(id(deletedByHand));
  }

  @Test
  void aFailedRequeueLeavesTheOrphanJudgementInPlace() {
    iam.remove(workloadRole.name(withRole("deleted-by-hand")));
    orphaned("gone");
    sweep.setEventHandler(
        event -> {
          throw new IllegalStateException("the controller is stopping");
        });

    assertThat(sweep.sweep()).isEmpty();
    assertThat(orphansFound()).isEqualTo(1);
  }

  /** A role the operator made for a workload that is gone from the cache: an orphan. */
  private String orphaned(String name) {
    var workload = withRole(name);
    workloads.remove(workload);
    return workloadRole.name(workload);
  }

  private double orphansFound() {
    return registry.get(OrphanRoleSweep.METER).tag("action", "found").counter().count();
  }

  private SecureWorkload drifted(String name, RoleChange byHand) {
    var workload = withRole(name);
    iam.apply(workloadRole.name(workload), byHand);
    return workload;
  }

  /** A workload whose role the operator made: the role exists, and the status names it. */
  private SecureWorkload withRole(String name) {
    var workload = workload(name);
    made(workload, desired(workload));
    return workload;
  }

  private void made(SecureWorkload workload, DesiredRole desired) {
    var created = iam.create(desired);
    states.written(desired, created);
    var status = new SecureWorkloadStatus();
    status.setRoleArn(created.arn());
    workload.setStatus(status);
  }

  private DesiredRole desired(SecureWorkload workload) {
    return new TestRoles(settings, FakeIamRoles.ACCOUNT)
        .desired(workload, "uid-of-payments", BOUNDARY);
  }

  /** The desired role with these managed policies, a case the spec fixture lacks. */
  private static DesiredRole withManaged(DesiredRole role, Set<String> arns) {
    return new DesiredRole(
        role.name(),
        role.path(),
        role.description(),
        role.trustPolicy(),
        role.inlinePolicy(),
        arns,
        role.maxSessionDurationSeconds(),
        role.permissionsBoundaryArn(),
        role.tags());
  }

  private static ResourceID id(SecureWorkload workload) {
    return ResourceID.fromResource(workload);
  }

  private static ActualRole withBoundary(ActualRole role, String boundary) {
    return ActualRole.named(role.name())
        .withIdentity(role.arn(), role.path(), null)
        .withDescription(role.description())
        .withTrustPolicy(role.trustPolicy())
        .withInlinePolicies(role.inlinePolicies())
        .withManagedPolicyArns(role.managedPolicyArns())
        .withMaxSessionDurationSeconds(role.maxSessionDurationSeconds())
        .withPermissionsBoundaryArn(boundary)
        .withTags(role.tags());
  }

  private static ActualRole withInline(ActualRole role, String policyName) {
    var inline = new HashMap<>(role.inlinePolicies());
    inline.put(policyName, "{}");
    return ActualRole.named(role.name())
        .withIdentity(role.arn(), role.path(), null)
        .withDescription(role.description())
        .withTrustPolicy(role.trustPolicy())
        .withInlinePolicies(inline)
        .withManagedPolicyArns(role.managedPolicyArns())
        .withMaxSessionDurationSeconds(role.maxSessionDurationSeconds())
        .withPermissionsBoundaryArn(role.permissionsBoundaryArn())
        .withTags(role.tags());
  }

  private SecureWorkload workload(String name) {
    return workload(name, true);
  }

  private SecureWorkload workload(String name, boolean cached) {
    var workload = TestWorkloads.workload(name, "selector: {matchLabels: {app: " + name + "}}\n");
    workload.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("payments").build());
    if (cached) {
      workloads.add(workload);
    }
    return workload;
  }
}
