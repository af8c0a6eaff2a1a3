package io.secureworkload.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.secureworkload.operator.api.SecureWorkload;
import io.secureworkload.operator.config.OperatorSettings;
import io.secureworkload.operator.config.OperatorSettings.OrphanPolicy;
import io.secureworkload.operator.iam.ActualRole;
import io.secureworkload.operator.iam.WorkloadRole;
import io.secureworkload.operator.testsupport.FakeIamRoles;
import io.secureworkload.operator.testsupport.TestSettings;
import io.secureworkload.operator.testsupport.TestWorkloads;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The orphan sweep against IAM in memory: which roles it calls orphans, which it never touches,
 * that a live read precedes every delete, and what a sweep costs.
 */
class OrphanRoleSweepTest {

  private final FakeIamRoles iam = new FakeIamRoles();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<SecureWorkload> cached = new ArrayList<>();
  private final Set<String> live = new HashSet<>();
  private final List<String> liveReads = new ArrayList<>();

  @Test
  void aRoleWhoseWorkloadIsGoneIsReportedOnceAndLeftInPlaceByDefault() {
    var settings = TestSettings.inRegion("us-west-2");
    assertThat(settings.orphanPolicy()).isEqualTo(OrphanPolicy.Report);
    var sweep = sweep(settings);
    var kept = withRole(settings, "payments", "kept", true);
    var gone = withRole(settings, "payments", "gone", false);

    var orphans = sweep.sweep();
    sweep.sweep();

    assertThat(orphans).extracting(o -> o.role().name()).containsExactly(gone);
    assertThat(iam.role(gone)).isPresent();
    assertThat(iam.role(kept)).isPresent();
    assertThat(counter("found")).isEqualTo(1);
    assertThat(counter("deleted")).isZero();
    assertThat(registry.get(OrphanRoleSweep.GAUGE).gauge().value()).isEqualTo(1);
  }

  @Test
  void withDeleteTheOrphanIsDeletedAfterALiveReadAndTheOthersAreUntouched() {
    var settings = deleting(TestSettings.inRegion("us-west-2"));
    var sweep = sweep(settings);
    var kept = withRole(settings, "payments", "kept", true);
    var gone = withRole(settings, "payments", "gone", false);

    sweep.sweep();

    assertThat(iam.role(gone)).isEmpty();
    assertThat(iam.role(kept)).isPresent();
    assertThat(liveReads).containsExactly("payments/gone");
    assertThat(iam.operations()).containsSubsequence("ListRoles", "GetRole", "DeleteRole");
    assertThat(counter("deleted")).isEqualTo(1);
    assertThat(registry.get(OrphanRoleSweep.GAUGE).gauge().value()).isZero();
  }

  @Test
  void aWorkloadTheCacheHasNotSeenYetKeepsItsRole() {
    var settings = deleting(TestSettings.inRegion("us-west-2"));
    var sweep = sweep(settings);
    var justCreated = withRole(settings, "payments", "just-created", false);
    live.add("payments/just-created");

    assertThat(sweep.sweep()).isEmpty();
    assertThat(iam.role(justCreated)).isPresent();
  }

  @Test
  void otherClustersUntaggedRetainedAndUnwatchedRolesAreNeverTouched() {
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
    var retained =
        retagged(withRole(settings, "payments", "d", false), WorkloadRole.TAG_RETAINED, "true");
    var unwatched = withRole(settings, "billing", "e", false);

    assertThat(sweep.sweep()).isEmpty();
    iam.clearOperations();
    assertThat(sweep.sweep()).isEmpty();

    for (var role : List.of(otherName, sameNameOtherIssuer, untagged, retained, unwatched)) {
      assertThat(iam.role(role)).as(role).isPresent();
    }
    assertThat(liveReads).isEmpty();
    // Judged once per role incarnation: the second sweep is one listing.
    assertThat(iam.operations()).containsExactly("ListRoles");
  }

  @Test
  void aSweepWithNoOrphanIsOneListingWhateverTheNumberOfWorkloads() {
    var settings = deleting(TestSettings.inRegion("us-west-2"));
    var sweep = sweep(settings);
    for (int i = 0; i < 50; i++) {
      withRole(settings, "payments", "w" + i, true);
    }
    iam.clearOperations();

    sweep.sweep();

    assertThat(iam.operations()).containsExactly("ListRoles");
    assertThat(liveReads).isEmpty();
  }

  @Test
  void whenTheApiServerCannotSayNothingIsDeleted() {
    var settings = deleting(TestSettings.inRegion("us-west-2"));
    var sweep =
        new OrphanRoleSweep(
            iam,
            new WorkloadRole(settings, () -> FakeIamRoles.ACCOUNT),
            settings,
            registry,
            cached::stream,
            (namespace, name) -> {
              throw new IllegalStateException("the API server does not answer");
            });
    var gone = withRole(settings, "payments", "gone", false);

    assertThatThrownBy(sweep::sweep).hasMessageContaining("does not answer");
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
  }

  private OrphanRoleSweep sweep(OperatorSettings settings) {
    return new OrphanRoleSweep(
        iam,
        new WorkloadRole(settings, () -> FakeIamRoles.ACCOUNT),
        settings,
        registry,
        cached::stream,
        (namespace, name) -> {
          liveReads.add(namespace + "/" + name);
          return live.contains(namespace + "/" + name);
        });
  }

  private static OperatorSettings deleting(OperatorSettings settings) {
    return settings.toBuilder().orphanPolicy(OrphanPolicy.Delete).build();
  }

  /** A role made for the workload by an operator with these settings; cached if it still exists. */
  private String withRole(
      OperatorSettings settings, String namespace, String name, boolean exists) {
    var workload = TestWorkloads.workload(name, "selector: {matchLabels: {app: " + name + "}}\n");
    workload.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    var role =
        iam.create(
            new WorkloadRole(settings, () -> FakeIamRoles.ACCOUNT)
                .desired(workload, "uid-of-" + namespace, null));
    if (exists) {
      cached.add(workload);
    }
    return role.name();
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
        new ActualRole(
            role.name(),
            role.arn(),
            role.path(),
            null,
            role.description(),
            role.trustPolicy(),
            role.inlinePolicies(),
            role.managedPolicyArns(),
            role.maxSessionDurationSeconds(),
            role.permissionsBoundaryArn(),
            tags));
  }

  private double counter(String action) {
    return registry.get(OrphanRoleSweep.METER).tag("action", action).counter().count();
  }
}
