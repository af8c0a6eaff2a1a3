package io.secureworkload.operator.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secureworkload.operator.awscall.AwsCallException;
import io.secureworkload.operator.testsupport.FakeIamRoles;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The role sync on IAM in memory, with no Kubernetes: what each case costs and what it says. */
class RoleSyncTest {

  static final String NAME = "sw-prod.payments.api";
  static final Map<String, String> OURS = Map.of("secureworkload.io/name", "api");
  static final Predicate<Map<String, String>> OWNED =
      tags -> tags.entrySet().containsAll(OURS.entrySet());
  static final String READ =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
          + "\"Resource\":\"*\"}]}";
  static final String MANAGED = "arn:aws:iam::aws:policy/ReadOnlyAccess";

  private final FakeIamRoles iam = new FakeIamRoles();
  private final RoleStates states = new RoleStates(Duration.ofHours(1));
  private final RoleSync sync = new RoleSync(iam, states);

  @Test
  void aNewRoleIsCreatedWithoutALookFirst() {
    var result = sync.sync(desired(READ), OWNED, false);

    assertThat(result)
        .isInstanceOfSatisfying(
            RoleSync.Created.class, c -> assertThat(c.replacesAnother()).isFalse());
    assertThat(iam.operations()).containsExactly("CreateRole", "PutRolePolicy");
    assertThat(RolePlanner.changes(desired(READ), iam.role(NAME).orElseThrow())).isEmpty();
  }

  @Test
  void whatIsKnownToMeanTheDesiredRoleCostsNoCall() {
    sync.sync(desired(READ), OWNED, false);
    iam.clearOperations();

    assertThat(sync.sync(desired(READ), OWNED, false)).isInstanceOf(RoleSync.Unchanged.class);
    assertThat(iam.operations()).isEmpty();
  }

  @Test
  void anOwnedRoleAlreadyThereIsReadAndAdoptedWithoutAWrite() {
    iam.put(role(READ, OURS));

    assertThat(sync.sync(desired(READ), OWNED, false)).isInstanceOf(RoleSync.Adopted.class);
    assertThat(iam.operations()).containsExactly("CreateRole", "GetRole");
  }

  @Test
  void aRoleTheStatusNamesIsLookedForAndIfMissingRecreatedAsANewIncarnation() {
    var result = sync.sync(desired(READ), OWNED, true);

    assertThat(result)
        .isInstanceOfSatisfying(
            RoleSync.Created.class, c -> assertThat(c.replacesAnother()).isTrue());
    assertThat(iam.operations()).containsExactly("GetRole", "CreateRole", "PutRolePolicy");
  }

  @Test
  void aRoleThatDiffersIsUpdatedWithOnlyTheWritesItNeeds() {
    iam.put(role("{\"Version\":\"2012-10-17\",\"Statement\":[]}", OURS));

    var result = sync.sync(desired(READ), OWNED, true);

    assertThat(result)
        .isInstanceOfSatisfying(
            RoleSync.Updated.class,
            u ->
                assertThat(u.changes())
                    .extracting(RoleChange::operation)
                    .containsExactly("PutRolePolicy"));
    assertThat(iam.operations()).containsExactly("GetRole", "PutRolePolicy");
    assertThat(sync.sync(desired(READ), OWNED, true)).isInstanceOf(RoleSync.Unchanged.class);
  }

  @Test
  void aRoleWithoutOurTagsIsNotOwnedAndUntouched() {
    iam.put(role(READ, Map.of("team", "other")));

    assertThat(sync.sync(desired(READ), OWNED, false)).isInstanceOf(RoleSync.NotOwned.class);
    assertThat(sync.sync(desired(READ), OWNED, false)).isInstanceOf(RoleSync.NotOwned.class);
    assertThat(iam.operations()).containsExactly("CreateRole", "GetRole", "GetRole");
  }

  @Test
  void aFailureForgetsTheRoleSoTheNextSyncReadsIt() {
    sync.sync(desired(READ), OWNED, false);
    iam.failWith("UpdateAssumeRolePolicy", "ServiceFailure", true);
    var changedTrust = desired(READ, "{\"Version\":\"2012-10-17\",\"Statement\":[{}]}");

    assertThatThrownBy(() -> sync.sync(changedTrust, OWNED, true))
        .isInstanceOf(AwsCallException.class);
    iam.heal();
    iam.clearOperations();

    assertThat(sync.sync(desired(READ), OWNED, true)).isInstanceOf(RoleSync.Adopted.class);
    assertThat(iam.operations()).containsExactly("GetRole");
  }

  @Test
  void anOwnedRoleIsHandedOnBeforeAWriteThatFailsSoTheStatusStillNamesIt() {
    iam.put(role("{\"Version\":\"2012-10-17\",\"Statement\":[]}", OURS));
    iam.failWith("PutRolePolicy", "ServiceFailure", true);
    var handedOn = new java.util.ArrayList<ActualRole>();

    assertThatThrownBy(() -> sync.sync(desired(READ), OWNED, true, handedOn::add))
        .isInstanceOf(AwsCallException.class);
    assertThat(handedOn).extracting(ActualRole::name).containsExactly(NAME);
  }

  @Test
  void aPolicyRefusedForGoodRightAfterCreateRoleLeavesNoHalfMadeRole() {
    iam.failWith("AttachRolePolicy", "NoSuchEntity", false);

    var result = sync.sync(withManaged(desired(READ), MANAGED), OWNED, false);

    assertThat(result)
        .isInstanceOfSatisfying(
            RoleSync.Refused.class,
            r -> {
              assertThat(r.deletedAgain()).isTrue();
              assertThat(r.error().operation()).isEqualTo("AttachRolePolicy");
            });
    assertThat(iam.role(NAME)).isEmpty();
  }

  @Test
  void aPolicyWriteThatMaySucceedLaterFailsAndKeepsTheRole() {
    iam.failWith("PutRolePolicy", "Throttling", true);

    assertThatThrownBy(() -> sync.sync(desired(READ), OWNED, false))
        .isInstanceOf(AwsCallException.class);
    assertThat(iam.role(NAME)).isPresent();
  }

  @Test
  void aCutRoleProvenOursGetsItsTrustBackAndLosesItsMarks() {
    var marked = new HashMap<>(OURS);
    marked.put(TrustCut.TAG, "retained");
    marked.put(WorkloadRole.TAG_RETAINED, "true");
    iam.put(role(READ, marked).withTrustPolicy(RoleDeletionTest.CUT));
    var trust =
        PolicyDocuments.trustPolicy(
            "arn:aws:iam::123456789012:oidc-provider/oidc.example/id/1",
            "oidc.example/id/1",
            "payments",
            "api");

    var result = sync.sync(desired(READ, trust), OWNED, true);

    assertThat(result)
        .isInstanceOfSatisfying(
            RoleSync.Updated.class,
            u ->
                assertThat(u.changes())
                    .extracting(RoleChange::operation)
                    .containsExactly("UpdateAssumeRolePolicy", "UntagRole"));
    var adopted = iam.role(NAME).orElseThrow();
    assertThat(PolicyDocuments.equivalent(adopted.trustPolicy(), trust)).isTrue();
    assertThat(adopted.tags()).isEqualTo(OURS);
  }

  static DesiredRole withManaged(DesiredRole r, String arn) {
    return new DesiredRole(
        r.name(),
        r.path(),
        r.description(),
        r.trustPolicy(),
        r.inlinePolicy(),
        Set.of(arn),
        r.maxSessionDurationSeconds(),
        r.permissionsBoundaryArn(),
        r.tags());
  }

  static DesiredRole desired(String inline) {
    return desired(inline, "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
  }

  static DesiredRole desired(String inline, String trust) {
    return new DesiredRole(
        NAME, "/secureworkload/", "api", trust, inline, Set.of(), 3600, null, OURS);
  }

  static ActualRole role(String inline, Map<String, String> tags) {
    return ActualRole.named(NAME)
        .withIdentity(
            "arn:aws:iam::123456789012:role/secureworkload/" + NAME, "/secureworkload/", null)
        .withDescription("api")
        .withTrustPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
        .withInlinePolicies(Map.of(DesiredRole.INLINE_POLICY_NAME, inline))
        .withMaxSessionDurationSeconds(3600)
        .withTags(tags);
  }
}
