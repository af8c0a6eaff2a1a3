package io.secureworkload.operator.iam;

import static io.secureworkload.operator.iam.RoleSyncTest.NAME;
import static io.secureworkload.operator.iam.RoleSyncTest.OURS;
import static io.secureworkload.operator.iam.RoleSyncTest.OWNED;
import static io.secureworkload.operator.iam.RoleSyncTest.READ;
import static io.secureworkload.operator.iam.RoleSyncTest.desired;
import static io.secureworkload.operator.iam.RoleSyncTest.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.testsupport.FakeIamRoles;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The role's deletion on IAM in memory, with no Kubernetes: ownership first, then the calls. */
class RoleDeletionTest {

  static final String CUT =
      PolicyDocuments.cutTrustPolicy(
          "arn:aws:iam::123456789012:oidc-provider/oidc.example/id/1", "oidc.example/id/1");

  private final FakeIamRoles iam = new FakeIamRoles();
  private final RoleStates states = new RoleStates(Duration.ofHours(1));
  private final RoleDeletion deletion = new RoleDeletion(iam, states, new TrustCut(iam, () -> CUT));

  @Test
  void aKnownRoleIsDeletedFromWhatIsKnownWithoutAReadFirst() {
    new RoleSync(iam, states).sync(desired(READ), OWNED, false);
    iam.clearOperations();

    assertThat(deletion.delete(NAME, OWNED, () -> desired(READ)))
        .isEqualTo(RoleDeletion.Result.DELETED);
    assertThat(iam.operations()).containsExactly("DeleteRolePolicy", "DeleteRole");
    assertThat(iam.role(NAME)).isEmpty();
  }

  @Test
  void afterARestartOnlyTheTagsAreRead() {
    iam.put(role(READ, OURS));

    assertThat(deletion.delete(NAME, OWNED, () -> desired(READ)))
        .isEqualTo(RoleDeletion.Result.DELETED);
    assertThat(iam.operations()).containsExactly("GetRole", "DeleteRolePolicy", "DeleteRole");
  }

  @Test
  void aRoleThatIsNotOursStays() {
    iam.put(role(READ, Map.of("team", "other")));

    assertThat(deletion.delete(NAME, OWNED, () -> desired(READ)))
        .isEqualTo(RoleDeletion.Result.NOT_OWNED);
    assertThat(iam.role(NAME)).isPresent();
  }

  @Test
  void aRoleAlreadyGoneIsDone() {
    assertThat(deletion.delete(NAME, OWNED, () -> desired(READ)))
        .isEqualTo(RoleDeletion.Result.ALREADY_GONE);
    assertThat(iam.operations()).containsExactly("GetRole");
  }

  @Test
  void retainKeepsOurRoleAndItsPoliciesButCutsItsTrustAndMarksIt() {
    iam.put(role(READ, OURS));

    assertThat(deletion.retain(NAME, OWNED, () -> desired(READ)))
        .isEqualTo(RoleDeletion.Result.RETAINED);

    var kept = iam.role(NAME).orElseThrow();
    assertThat(PolicyDocuments.equivalent(kept.trustPolicy(), CUT)).isTrue();
    assertThat(kept.tags())
        .containsEntry(WorkloadRole.TAG_RETAINED, "true")
        .containsEntry(TrustCut.TAG, "retained")
        .containsAllEntriesOf(OURS);
    assertThat(kept.inlinePolicies()).containsEntry(DesiredRole.INLINE_POLICY_NAME, READ);
    // The trust first: a role marked as cut is cut.
    assertThat(iam.operations()).containsExactly("GetRole", "UpdateAssumeRolePolicy", "TagRole");
  }

  @Test
  void retainWritesTheCutAgainOnEveryAttemptAndTheMarkOnlyWhereMissing() {
    iam.put(role(READ, OURS));
    deletion.retain(NAME, OWNED, () -> desired(READ));
    // Someone restores the trust by hand under the mark.
    iam.apply(NAME, new RoleChange.UpdateTrustPolicy(role(READ, OURS).trustPolicy()));
    iam.clearOperations();

    deletion.retain(NAME, OWNED, () -> desired(READ));

    assertThat(PolicyDocuments.equivalent(iam.role(NAME).orElseThrow().trustPolicy(), CUT))
        .isTrue();
    assertThat(iam.operations()).containsExactly("GetRole", "UpdateAssumeRolePolicy");
  }

  @Test
  void aCutWhoseMarkFailedIsMarkedByTheNextAttempt() {
    iam.put(role(READ, OURS));
    iam.failWith("TagRole", "ServiceFailure", true);

    assertThatThrownBy(() -> deletion.retain(NAME, OWNED, () -> desired(READ)))
        .isInstanceOf(AwsCallException.class);
    assertThat(PolicyDocuments.equivalent(iam.role(NAME).orElseThrow().trustPolicy(), CUT))
        .as("cut before the mark")
        .isTrue();
    iam.heal();

    deletion.retain(NAME, OWNED, () -> desired(READ));
    assertThat(iam.role(NAME).orElseThrow().tags()).containsEntry(TrustCut.TAG, "retained");
  }

  @Test
  void retainCompletesTheOwnershipTagsSoThatTheNamespaceCanProveItLater() {
    iam.put(role(READ, OURS));
    var withUid = new HashMap<>(OURS);
    withUid.put(WorkloadRole.TAG_NAMESPACE_UID, "uid-1");
    var desired = desired(READ);
    var desiredWithUid =
        new DesiredRole(
            desired.name(),
            desired.path(),
            desired.description(),
            desired.trustPolicy(),
            desired.inlinePolicy(),
            desired.managedPolicyArns(),
            desired.maxSessionDurationSeconds(),
            desired.permissionsBoundaryArn(),
            withUid);

    deletion.retain(NAME, OWNED, () -> desiredWithUid);

    assertThat(iam.role(NAME).orElseThrow().tags())
        .containsEntry(WorkloadRole.TAG_NAMESPACE_UID, "uid-1");
  }

  @Test
  void retainLeavesARoleThatIsNotOursAsItIsAndARoleAlreadyGoneIsDone() {
    var foreign = role(READ, Map.of("team", "other"));
    iam.put(foreign);

    assertThat(deletion.retain(NAME, OWNED, () -> desired(READ)))
        .isEqualTo(RoleDeletion.Result.NOT_OWNED);
    assertThat(iam.role(NAME).orElseThrow().trustPolicy()).isEqualTo(foreign.trustPolicy());
    assertThat(iam.role(NAME).orElseThrow().tags()).doesNotContainKey(TrustCut.TAG);
    assertThat(iam.operations()).containsExactly("GetRole");

    iam.remove(NAME);
    assertThat(deletion.retain(NAME, OWNED, () -> desired(READ)))
        .isEqualTo(RoleDeletion.Result.ALREADY_GONE);
  }

  @Test
  void aRetainedRoleIsReadAgainBeforeAnyWorkloadCountsItAsItsOwn() {
    var sync = new RoleSync(iam, states);
    sync.sync(desired(READ), OWNED, false);
    deletion.retain(NAME, OWNED, () -> desired(READ));
    iam.clearOperations();

    var adopted = sync.sync(desired(READ), OWNED, false);

    assertThat(adopted).isInstanceOf(RoleSync.Updated.class);
    assertThat(iam.operations()).contains("GetRole", "UpdateAssumeRolePolicy", "UntagRole");
    assertThat(iam.role(NAME).orElseThrow().tags())
        .doesNotContainKeys(TrustCut.TAG, WorkloadRole.TAG_RETAINED);
  }
}
