package io.secureworkload.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.secureworkload.operator.api.PreviousRole;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.api.SecureWorkloadStatus;
import io.secureworkload.operator.config.DriftSweepMode;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.config.OperatorSettings.OrphanPolicy;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.DesiredRole;
import io.secureworkload.operator.iam.RoleChange;
import io.secureworkload.operator.iam.RoleDeletion;
import io.secureworkload.operator.iam.RoleStates;
import io.secureworkload.operator.iam.TrustCut;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.reconciler.OrphanRoleSweep.Orphan;
import io.secureworkload.operator.testsupport.FakeIamAccounts;
import io.secureworkload.operator.testsupport.FakeIamRoles;
import io.secureworkload.operator.testsupport.TestSettings;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The orphan sweep against IAM in memory, given the roles as either mode of the AWS sweep reads
 * them: which roles it calls orphans, which it cuts and which it never touches, that a live read
 * precedes every cut and delete, and what it costs beyond the sweep's read.
 */
class OrphanRoleSweepTest {

  private static final String ROLE_PATH = "/secureworkload/";

  private final FakeIamRoles iam = new FakeIamRoles();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<SecureWorkload> cached = new ArrayList<>();
  private final Set<String> live = new HashSet<>();
  private final List<String> liveReads = new ArrayList<>();

  @ParameterizedTest
  @EnumSource(DriftSweepMode.class)
  void aRoleWhoseWorkloadIsGoneIsReportedOnceAndLeftInPlaceWithItsTrustCutByDefault(
      DriftSweepMode mode) {
    var settings = TestSettings.inRegion("us-west-2");
    assertThat(settings.orphanPolicy()).isEqualTo(OrphanPolicy.Report);
    var sweep = sweep(settings);
    var kept = withRole(settings, "payments", "kept", true);
    var gone = withRole(settings, "payments", "gone", false);
    var keptTrust = iam.role(kept).orElseThrow().trustPolicy();

    var orphans = judge(sweep, mode);
    iam.clearOperations();
    var again = judge(sweep, mode);

    assertThat(orphans).extracting(Orphan::roleName).containsExactly(gone);
    assertThat(again).isEqualTo(orphans);
    assertThat(iam.role(gone)).isPresent();
    assertCut(gone, "orphaned");
    assertThat(iam.role(kept).orElseThrow().trustPolicy()).isEqualTo(keptTrust);
    assertThat(counter("found")).isEqualTo(1);
    assertThat(counter("cut")).isEqualTo(1);
    assertThat(counter("deleted")).isZero();
    assertThat(registry.get(OrphanRoleSweep.GAUGE).gauge().value()).isEqualTo(1);
    // Cut, it costs the sweeps that follow nothing but their read while its trust stays cut.
    assertThat(iam.operations()).containsExactlyElementsOf(read(mode));
    assertThat(liveReads).containsExactly("payments/gone");
  }

  @ParameterizedTest
  @EnumSource(DriftSweepMode.class)
  void aCutOrphanWhoseTrustIsRestoredByHandIsCutAgain(DriftSweepMode mode) {
    var settings = TestSettings.inRegion("us-west-2");
    var sweep = sweep(settings);
    var gone = withRole(settings, "payments", "gone", false);
    var live = iam.role(gone).orElseThrow().trustPolicy();
    judge(sweep, mode);
    iam.apply(gone, new RoleChange.UpdateTrustPolicy(live));

    judge(sweep, mode);

    assertCut(gone, "orphaned");
    assertThat(counter("cut")).isEqualTo(2);
    assertThat(counter("found")).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(DriftSweepMode.class)
  void aRetainedRoleIsCutIfItIsNotYetAndNeverDeleted(DriftSweepMode mode) {
    var settings = deleting(TestSettings.inRegion("us-west-2"));
    var sweep = sweep(settings);
    var retainedEarlier =
        retagged(withRole(settings, "payments", "d", false), WorkloadRole.TAG_RETAINED, "true");
    var retainedNow = withRole(settings, "payments", "e", false);
    new RoleDeletion(iam, new RoleStates(Duration.ofHours(1)), trustCut(settings))
        .retain(retainedNow, tags -> true, () -> desiredRole(settings, "payments", "e"));

    assertThat(judge(sweep, mode)).isEmpty();
    iam.clearOperations();
    assertThat(judge(sweep, mode)).isEmpty();

    assertCut(retainedEarlier, "retained");
    assertCut(retainedNow, "retained");
    assertThat(counter("cut")).as("the one retained before cuts existed").isEqualTo(1);
    assertThat(counter("deleted")).isZero();
    assertThat(counter("found")).isZero();
    assertThat(liveReads).containsExactly("payments/d");
    assertThat(iam.operations()).containsExactlyElementsOf(read(mode));
  }

  @ParameterizedTest
  @EnumSource(DriftSweepMode.class)
  void withDeleteTheOrphanIsDeletedAfterALiveReadAndTheOthersAreUntouched(DriftSweepMode mode) {
    var settings = deleting(TestSettings.inRegion("us-west-2"));
    var sweep = sweep(settings);
    var kept = withRole(settings, "payments", "kept", true);
    var gone = withRole(settings, "payments", "gone", false);
    iam.clearOperations();

    judge(sweep, mode);

    assertThat(iam.role(gone)).isEmpty();
    assertThat(iam.role(kept)).isPresent();
    assertThat(liveReads).containsExactly("payments/gone");
    if (mode == DriftSweepMode.LIST_ROLES) {
      assertThat(iam.operations()).containsSubsequence("ListRoles", "GetRole", "DeleteRole");
    } else {
      // One GetRole, for the orphan alone, after the live read: is it still there?
      assertThat(iam.operations())
          .containsSubsequence(
              "ListRoles", "GetAccountAuthorizationDetails", "GetRole", "DeleteRole")
          .filteredOn("GetRole"::equals)
          .hasSize(1);
    }
    assertThat(counter("deleted")).isEqualTo(1);
    assertThat(registry.get(OrphanRoleSweep.GAUGE).gauge().value()).isZero();
  }

  @ParameterizedTest
  @EnumSource(DriftSweepMode.class)
  void aRoleTheWorkloadsOwnCleanupDeletesWhileTheSweepLooksIsNoOrphan(DriftSweepMode mode) {
    var settings = TestSettings.inRegion("us-west-2");
    var sweep = sweep(settings);
    var leaving = withRole(settings, "payments", "leaving", false);
    var read = mode == DriftSweepMode.AUTHORIZATION_DETAILS ? null : iam.list(ROLE_PATH);
    var snapshot = mode == DriftSweepMode.AUTHORIZATION_DETAILS ? iam.snapshot(ROLE_PATH) : null;
    // Between the sweep's read and its look at the workload: the role goes, then the workload.
    iam.remove(leaving);

    var orphans = snapshot != null ? sweep.inSnapshot(snapshot) : sweep.inListing(read);

    assertThat(orphans).isEmpty();
    assertThat(counter("found")).isZero();
    assertThat(registry.get(OrphanRoleSweep.GAUGE).gauge().value()).isZero();
  }

  @ParameterizedTest
  @EnumSource(DriftSweepMode.class)
  void theRoleAWorkloadLeftInTheAccountItMovedAwayFromIsNeitherCutNorDeleted(DriftSweepMode mode) {
    var settings = deleting(TestSettings.inRegion("us-west-2"));
    var sweep = sweep(settings);
    var left = withRole(settings, "payments", "moved", true);
    var oldRole = iam.role(left).orElseThrow();
    var status = new SecureWorkloadStatus();
    status.setRoleArn("arn:aws:iam::222222222222:role/secureworkload/" + left);
    status.setPreviousRole(new PreviousRole(oldRole.arn(), "2026-12-06T10:00:00Z"));
    cached.get(cached.size() - 1).setStatus(status);

    assertThat(judge(sweep, mode)).isEmpty();
    assertThat(iam.role(left).orElseThrow().trustPolicy()).isEqualTo(oldRole.trustPolicy());
    assertThat(iam.role(left).orElseThrow().tags()).doesNotContainKey(TrustCut.TAG);
    assertThat(liveReads).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(DriftSweepMode.class)
  void aWorkloadTheCacheHasNotSeenYetKeepsItsRole(DriftSweepMode mode) {
    var settings = deleting(TestSettings.inRegion("us-west-2"));
    var sweep = sweep(settings);
    var justCreated = withRole(settings, "payments", "just-created", false);
    live.add("payments/just-created");

    assertThat(judge(sweep, mode)).isEmpty();
    assertThat(iam.role(justCreated)).isPresent();
    assertThat(iam.role(justCreated).orElseThrow().tags()).doesNotContainKey(TrustCut.TAG);
  }

  @ParameterizedTest
  @EnumSource(DriftSweepMode.class)
  void aWorkloadTheCacheHasNotSeenYetKeepsItsTrustInReportMode(DriftSweepMode mode) {
    var settings = TestSettings.inRegion("us-west-2");
    var sweep = sweep(settings);
    var justCreated = withRole(settings, "payments", "just-created", false);
    var trust = iam.role(justCreated).orElseThrow().trustPolicy();
    live.add("payments/just-created");

    assertThat(judge(sweep, mode)).isEmpty();
    assertThat(iam.role(justCreated).orElseThrow().trustPolicy()).isEqualTo(trust);
    assertThat(counter("cut")).isZero();
  }

  @ParameterizedTest
  @EnumSource(DriftSweepMode.class)
  void otherClustersUntaggedAndUnwatchedRolesAreNeverTouched(DriftSweepMode mode) {
    var settings =
        deleting(TestSettings.inRegion("us-west-2")).toBuilder()
            .watchNamespaces(Set.of("payments"))
            .build();
    var sweep = sweep(settings);
    var otherName =
        withRole(settings.toBuilder().clusterName("other").build(), "payments", "a", false);
    var sameNameOtherIssuer =
        retagged(withRole(settings, "payments", "b", false), WorkloadRole.TAG_ISSUER, "elsewhere");
    var untagged = untagged(withRole(settings, "payments", "c", false));
    var unwatchedRetained =
        retagged(withRole(settings, "billing", "d", false), WorkloadRole.TAG_RETAINED, "true");
    var unwatched = withRole(settings, "billing", "e", false);
    var before = new HashMap<String, ActualRole>();
    for (var role :
        List.of(otherName, sameNameOtherIssuer, untagged, unwatchedRetained, unwatched)) {
      before.put(role, iam.role(role).orElseThrow());
    }

    assertThat(judge(sweep, mode)).isEmpty();
    iam.clearOperations();
    assertThat(judge(sweep, mode)).isEmpty();

    before.forEach((role, was) -> assertThat(iam.role(role)).as(role).contains(was));
    assertThat(liveReads).isEmpty();
    // Judged once per role incarnation: the second sweep is its read alone.
    assertThat(iam.operations()).containsExactlyElementsOf(read(mode));
  }

  @ParameterizedTest
  @EnumSource(DriftSweepMode.class)
  void aSweepWithNoOrphanIsItsReadAloneWhateverTheNumberOfWorkloads(DriftSweepMode mode) {
    var settings = deleting(TestSettings.inRegion("us-west-2"));
    var sweep = sweep(settings);
    for (int i = 0; i < 50; i++) {
      withRole(settings, "payments", "w" + i, true);
    }
    iam.clearOperations();

    judge(sweep, mode);

    assertThat(iam.operations()).containsExactlyElementsOf(read(mode));
    assertThat(liveReads).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(DriftSweepMode.class)
  void whenTheApiServerCannotSayNothingIsDeleted(DriftSweepMode mode) {
    var settings = deleting(TestSettings.inRegion("us-west-2"));
    var sweep =
        new OrphanRoleSweep(
            new FakeIamAccounts(iam, settings.oidcProviderHostPath()).home(),
            new WorkloadRole(settings, () -> FakeIamRoles.ACCOUNT),
            settings,
            registry,
            cached::stream,
            (namespace, name) -> {
              throw new IllegalStateException("the API server does not answer");
            });
    var gone = withRole(settings, "payments", "gone", false);

    assertThatThrownBy(() -> judge(sweep, mode)).hasMessageContaining("does not answer");
    assertThat(iam.role(gone)).isPresent();
  }

  @Test
  void verdictsFollowTheTags() {
    var settings = TestSettings.inRegion("us-west-2");
    var tags = new HashMap<String, String>();
    assertThat(OrphanRoleSweep.judge(tags, settings))
        .isEqualTo(OrphanRoleSweep.Verdict.NOT_MANAGED_BY_US);
    tags.put(WorkloadRole.TAG_MANAGED_BY, SecureWorkload.MANAGED_BY);
    tags.put(WorkloadRole.TAG_NAMESPACE, "payments");
    tags.put(WorkloadRole.TAG_NAME, "api");
    tags.put(WorkloadRole.TAG_CLUSTER, settings.clusterName());
    // A role from before the issuer tag is not provably this cluster's.
    assertThat(OrphanRoleSweep.judge(tags, settings))
        .isEqualTo(OrphanRoleSweep.Verdict.OTHER_CLUSTER);
    tags.put(WorkloadRole.TAG_ISSUER, settings.oidcProviderHostPath());
    assertThat(OrphanRoleSweep.judge(tags, settings)).isEqualTo(OrphanRoleSweep.Verdict.CANDIDATE);
    tags.put(WorkloadRole.TAG_RETAINED, "true");
    assertThat(OrphanRoleSweep.judge(tags, settings)).isEqualTo(OrphanRoleSweep.Verdict.RETAINED);
    // Another instance watches that namespace: its retained roles are that instance's to cut.
    var watchingOthers = settings.toBuilder().watchNamespaces(Set.of("billing")).build();
    assertThat(OrphanRoleSweep.judge(tags, watchingOthers))
        .isEqualTo(OrphanRoleSweep.Verdict.UNWATCHED_NAMESPACE);
  }

  private OrphanRoleSweep sweep(OperatorSettings settings) {
    return new OrphanRoleSweep(
        new FakeIamAccounts(iam, settings.oidcProviderHostPath()).home(),
        new WorkloadRole(settings, () -> FakeIamRoles.ACCOUNT),
        settings,
        registry,
        cached::stream,
        (namespace, name) -> {
          liveReads.add(namespace + "/" + name);
          return live.contains(namespace + "/" + name);
        });
  }

  /**
   * One sweep's read of the roles in this mode, handed to the orphan sweep as the AWS sweep does.
   */
  private List<Orphan> judge(OrphanRoleSweep sweep, DriftSweepMode mode) {
    return mode == DriftSweepMode.AUTHORIZATION_DETAILS
        ? sweep.inSnapshot(iam.snapshot(ROLE_PATH))
        : sweep.inListing(iam.list(ROLE_PATH));
  }

  /** The IAM calls of that read, a page each. */
  private static List<String> read(DriftSweepMode mode) {
    return mode == DriftSweepMode.AUTHORIZATION_DETAILS
        ? List.of("ListRoles", "GetAccountAuthorizationDetails")
        : List.of("ListRoles");
  }

  private static OperatorSettings deleting(OperatorSettings settings) {
    return settings.toBuilder().orphanPolicy(OrphanPolicy.Delete).build();
  }

  /** A role made for the workload by an operator with these settings; cached if it still exists. */
  private String withRole(
      OperatorSettings settings, String namespace, String name, boolean exists) {
    var role = iam.create(desiredRole(settings, namespace, name));
    if (exists) {
      cached.add(workload(namespace, name));
    }
    return role.name();
  }

  private static DesiredRole desiredRole(OperatorSettings settings, String namespace, String name) {
    return new WorkloadRole(settings, () -> FakeIamRoles.ACCOUNT)
        .desired(workload(namespace, name), "uid-of-" + namespace, null, null);
  }

  private static SecureWorkload workload(String namespace, String name) {
    var workload = TestWorkloads.workload(name, "selector: {matchLabels: {app: " + name + "}}\n");
    workload.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    return workload;
  }

  private TrustCut trustCut(OperatorSettings settings) {
    return new TrustCut(
        iam, new WorkloadRole(settings, () -> FakeIamRoles.ACCOUNT)::cutTrustPolicy);
  }

  /** No ServiceAccount can assume the role, and its tags say why. */
  private void assertCut(String roleName, String reason) {
    var role = iam.role(roleName).orElseThrow();
    assertThat(trustCut(TestSettings.inRegion("us-west-2")).holds(role.trustPolicy()))
        .as("%s: %s", roleName, role.trustPolicy())
        .isTrue();
    assertThat(role.tags()).containsEntry(TrustCut.TAG, reason);
  }

  private String retagged(String roleName, String key, String value) {
    var role = iam.role(roleName).orElseThrow();
    var tags = new HashMap<>(role.tags());
    tags.put(key, value);
    replace(role, tags);
    return roleName;
  }

  private String untagged(String roleName) {
    replace(iam.role(roleName).orElseThrow(), new HashMap<>());
    return roleName;
  }

  private void replace(ActualRole role, java.util.Map<String, String> tags) {
    iam.remove(role.name());
    iam.put(
        ActualRole.named(role.name())
            .withIdentity(role.arn(), role.path(), null)
            .withDescription(role.description())
            .withTrustPolicy(role.trustPolicy())
            .withInlinePolicies(role.inlinePolicies())
            .withManagedPolicyArns(role.managedPolicyArns())
            .withMaxSessionDurationSeconds(role.maxSessionDurationSeconds())
            .withPermissionsBoundaryArn(role.permissionsBoundaryArn())
            .withTags(tags));
  }

  private double counter(String action) {
    return registry.get(OrphanRoleSweep.METER).tag("action", action).counter().count();
  }
}
